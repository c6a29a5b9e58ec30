using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Synapse.Docs.Tests;

/// <summary>
/// docs/flow-generator.md shows, abbreviated, what the generator emits for a receiver: its source
/// (Snippets/FlowGenerator/FlowAgent.cs) compiles cleanly, and the tokens of the shown code
/// (Snippets/FlowGenerator/FlowAgent.Flow.g.cs, the doc's block) appear in order in the generated file.
/// </summary>
public sealed class GeneratedCodeTests
{
    private const string Directory = Repository.SnippetsDirectory + "/FlowGenerator";

    [Fact]
    public async Task The_generated_flow_table_shown_is_what_the_generator_emits()
    {
        var example = await SnippetCompiler.CompileAsync([Repository.Full(Directory + "/FlowAgent.cs")], []);
        Assert.True(example.Diagnostics.Count == 0, "FlowAgent.cs does not compile cleanly:" + Environment.NewLine + string.Join(Environment.NewLine, example.Diagnostics));

        var generated = Assert.Contains("Demo.FlowAgent.Flow.g.cs", example.Generated);
        var shown = Tokens(File.ReadAllText(Repository.Full(Directory + "/FlowAgent.Flow.g.cs")));
        var emitted = Tokens(generated);

        var next = 0;
        foreach (var token in shown)
        {
            while (next < emitted.Count && emitted[next] != token)
            {
                next++;
            }

            Assert.True(
                next < emitted.Count,
                $"docs/flow-generator.md shows '{token}' where the generator emits no such token (after what matched so far); "
                + "update the doc's block and Snippets/FlowGenerator/FlowAgent.Flow.g.cs to the generator's output:"
                + Environment.NewLine + generated);
            next++;
        }
    }

    private static List<string> Tokens(string source) =>
        CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)).Select(t => t.Text).ToList();
}
