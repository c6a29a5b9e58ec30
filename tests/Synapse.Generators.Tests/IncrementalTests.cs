using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Synapse.Generators.Tests;

public class IncrementalTests
{
    private static readonly string[] TrackedSteps =
    {
        TrackingNames.NodeResults,
        TrackingNames.NodeModels,
        TrackingNames.MessageResults,
        TrackingNames.Formatters,
        TrackingNames.Diagnostics,
    };

    [Fact]
    public void Same_compilation_twice_is_fully_cached()
    {
        var compilation = Compilation();
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        driver = driver.RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        foreach (var name in TrackedSteps)
        {
            AssertAllOutputs(result, name, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        }

        AssertSourceOutputs(result, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Unrelated_file_leaves_node_outputs_cached_and_text_identical()
    {
        var compilation = Compilation();
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var before = Texts(driver);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Other; public class Unrelated { public int Value { get; set; } }",
            GeneratorHarness.ParseOptions,
            path: "Unrelated.cs"));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();

        AssertAllOutputs(result, TrackingNames.NodeModels, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAllOutputs(result, TrackingNames.Formatters, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertSourceOutputs(result, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.Equal(before, Texts(driver));
    }

    [Fact]
    public void Edit_inside_the_node_file_that_does_not_change_the_model_is_unchanged()
    {
        var compilation = Compilation();
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var before = Texts(driver);

        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Node.cs");
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(0, 0, "// a new leading comment\n")));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();

        AssertAllOutputs(result, TrackingNames.NodeModels, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertSourceOutputs(result, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.Equal(before, Texts(driver));
    }

    [Fact]
    public void Adding_an_endpoint_modifies_the_node_output()
    {
        var compilation = Compilation();
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var before = Texts(driver);

        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Node.cs");
        var source = tree.GetText().ToString().Replace(
            "public int Sum(int a, int b) => a + b;",
            "public int Sum(int a, int b) => a + b;\n\n    [Endpoint(\"sub\")]\n    public int Sub(int a, int b) => a - b;",
            StringComparison.Ordinal);
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: "Node.cs"));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();

        var reasons = result.TrackedSteps[TrackingNames.NodeModels].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(reasons, r => r is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
        var after = Texts(driver);
        Assert.NotEqual(before["Demo.ReviewerNode.AgentNode.g.cs"], after["Demo.ReviewerNode.AgentNode.g.cs"]);
        Assert.Contains("\"sub\"u8", after["Demo.ReviewerNode.AgentNode.g.cs"], StringComparison.Ordinal);
        Assert.Equal(before["Synapse.Formatters.g.cs"], after["Synapse.Formatters.g.cs"]);
    }

    [Fact]
    public void File_order_does_not_change_output()
    {
        var partA = ("A.cs", """
            using Synapse;
            namespace Demo;
            [AgentNode]
            public partial class Split
            {
                [Endpoint("a")]
                public int A() => 1;
            }
            """);
        var partB = ("B.cs", """
            using Synapse;
            namespace Demo;
            [Capability("second")]
            public partial class Split
            {
                [Endpoint("b")]
                public string B(Demo.Models.ReviewRequest request) => request.Title;
            }
            """);
        var messages = ("Messages.cs", TestSources.Messages);
        var forward = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(partA, partB, messages));
        var backward = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(messages, partB, partA));

        SnapshotTests.AssertCompiles(forward);
        var forwardTexts = forward.Result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var backwardTexts = backward.Result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.Equal(forwardTexts, backwardTexts);
        Assert.True(forwardTexts["Demo.Split.AgentNode.g.cs"].IndexOf("\"a\"u8", StringComparison.Ordinal) < forwardTexts["Demo.Split.AgentNode.g.cs"].IndexOf("\"b\"u8", StringComparison.Ordinal));
    }

    [Fact]
    public void Models_from_separate_compilations_are_equal()
    {
        var first = GeneratorHarness.Run(Compilation());
        var second = GeneratorHarness.Run(Compilation());
        var a = first.Result.TrackedSteps[TrackingNames.NodeModels].Single().Outputs.Single().Value;
        var b = second.Result.TrackedSteps[TrackingNames.NodeModels].Single().Outputs.Single().Value;
        Assert.NotSame(a, b);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    private static CSharpCompilation Compilation() =>
        GeneratorHarness.CreateCompilation(("Messages.cs", TestSources.Messages), ("Node.cs", TestSources.Node));

    private static Dictionary<string, string> Texts(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    private static void AssertAllOutputs(GeneratorRunResult result, string stepName, params IncrementalStepRunReason[] allowed)
    {
        Assert.True(result.TrackedSteps.TryGetValue(stepName, out var steps), "step " + stepName + " was not tracked");
        var reasons = steps.SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.Contains(r, allowed));
    }

    private static void AssertSourceOutputs(GeneratorRunResult result, params IncrementalStepRunReason[] allowed)
    {
        var reasons = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.Contains(r, allowed));
    }
}
