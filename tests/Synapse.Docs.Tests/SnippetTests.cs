namespace Synapse.Docs.Tests;

/// <summary>
/// Every C# block of README.md and docs/ is compiled: it appears, verbatim up to indentation and trailing
/// whitespace, in a file under tests/Synapse.Docs.Tests/Snippets/ (compiled by this project, or by
/// DiagnosticExampleTests for the diagnostics' examples of rejected code) or in a sample under samples/.
/// </summary>
public sealed class SnippetTests
{
    private static readonly Lazy<IReadOnlyList<(string Path, IReadOnlyList<string> Lines)>> s_sources = new(LoadSources);

    /// <summary>Each C# block of the docs, as (doc, line of its opening fence).</summary>
    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var block in CSharpBlocks())
        {
            data.Add(block.Doc, block.Line);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Block_is_a_compiled_snippet(string doc, int line)
    {
        var block = CSharpBlocks().Single(b => b.Doc == doc && b.Line == line);
        var text = Markdown.Normalize(block.Lines);
        Assert.True(text.Count > 0, $"{doc}:{line}: the ```{block.Language} block is empty.");

        var found = s_sources.Value.FirstOrDefault(source => Contains(source.Lines, text));
        Assert.True(
            found.Path is not null,
            $"{doc}:{line}: this ```{block.Language} block appears in no file under {Repository.SnippetsDirectory}/ or samples/**/*.cs. "
            + $"The docs' C# snippets are compiled from {Repository.SnippetsDirectory}/ (one file per snippet, named after the doc): "
            + "when you change a block, make the same change in its snippet file (or add one) so that the block's lines appear "
            + "there contiguously, as written (only the indentation may differ), and check that it still compiles."
            + Environment.NewLine + "The block:" + Environment.NewLine + string.Join(Environment.NewLine, text));
    }

    [Fact]
    public void The_docs_have_csharp_blocks_and_each_names_its_language()
    {
        var blocks = CSharpBlocks();
        Assert.Contains(blocks, b => b.Doc == "README.md");
        Assert.Contains(blocks, b => b.Doc == "docs/flows.md");
        Assert.True(blocks.Count >= 20, $"only {blocks.Count} C# blocks found in README.md and docs/");
    }

    /// <summary>Whether <paramref name="text"/> (normalised) is a run of consecutive lines of <paramref name="file"/> once
    /// that run's common indentation is removed.</summary>
    internal static bool Contains(IReadOnlyList<string> file, IReadOnlyList<string> text)
    {
        for (var start = 0; start + text.Count <= file.Count; start++)
        {
            if (file[start].Trim() != text[0].Trim())
            {
                continue;
            }

            var window = Markdown.Normalize(Enumerable.Range(start, text.Count).Select(i => file[i]));
            if (window.SequenceEqual(text, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    internal static IReadOnlyList<CodeBlock> CSharpBlocks() =>
        Repository.Docs()
            .SelectMany(doc => Markdown.CodeBlocks(doc, File.ReadAllLines(Repository.Full(doc))))
            .Where(block => Markdown.CSharp.Contains(block.Language))
            .ToList();

    private static List<(string Path, IReadOnlyList<string> Lines)> LoadSources()
    {
        var snippets = Directory.EnumerateFiles(Repository.Full(Repository.SnippetsDirectory), "*", SearchOption.AllDirectories);
        var samples = Directory.EnumerateFiles(Repository.Full("samples"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !Repository.Relative(path).Split('/').Any(part => part is "bin" or "obj"));
        return snippets.Concat(samples)
            .Select(path => (Repository.Relative(path), (IReadOnlyList<string>)File.ReadAllLines(path).Select(line => line.TrimEnd()).ToList()))
            .ToList();
    }
}
