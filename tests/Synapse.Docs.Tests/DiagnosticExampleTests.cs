using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Synapse.Docs.Tests;

/// <summary>
/// The examples of docs/diagnostics/SYNnnn.md are compiled (from Snippets/Diagnostics/SYNnnn.cs, or the C# and TRIGGERS
/// files of Snippets/Diagnostics/SYNnnn/) with the generator and the analyzer, as an application is: the diagnostic
/// the page documents is reported, every line whose comment starts with an id (<c>// SYN005</c>, <c># SYN018</c>) is
/// reported with that id, and the lines marked <c>// fixed</c> or <c>// fine</c> are not reported with the page's id.
/// </summary>
public sealed partial class DiagnosticExampleTests
{
    private const string Directory = Repository.SnippetsDirectory + "/Diagnostics";

    /// <summary>Every page of docs/diagnostics/ with a C# example.</summary>
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var page in Pages())
        {
            data.Add(page);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_reports_what_its_page_says(string id)
    {
        var (sources, triggers) = Files(id);
        var example = await SnippetCompiler.CompileAsync(sources, triggers);
        var problems = new List<string>();

        if (!example.Diagnostics.Any(d => d.Id == id))
        {
            problems.Add($"{id} is not reported at all");
        }

        foreach (var path in sources.Concat(triggers))
        {
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                var marker = MarkerRegex().Match(lines[i]);
                if (!marker.Success)
                {
                    continue;
                }

                var expected = marker.Groups["id"].Value;
                var onLine = example.Diagnostics.Where(d => IsAt(d, path, i)).ToList();
                if (expected.StartsWith("SYN", StringComparison.Ordinal))
                {
                    var hasCode = lines[i][..marker.Index].Trim().Length > 0;
                    if (hasCode ? !onLine.Any(d => d.Id == expected) : !example.Diagnostics.Any(d => d.Id == expected))
                    {
                        problems.Add($"{Repository.Relative(path)}:{i + 1}: marked {expected}, which is not reported {(hasCode ? "on this line" : "")}: {lines[i].Trim()}");
                    }
                }
                else if (onLine.FirstOrDefault(d => d.Id == id) is { } wrong)
                {
                    problems.Add($"{Repository.Relative(path)}:{i + 1}: marked '{expected}', but reported: {wrong}");
                }
            }
        }

        Assert.True(
            problems.Count == 0,
            $"The example of docs/diagnostics/{id}.md (compiled from {Directory}/{id}) does not do what the page says:"
            + Environment.NewLine + string.Join(Environment.NewLine, problems)
            + Environment.NewLine + "Reported:" + Environment.NewLine + string.Join(Environment.NewLine, example.Diagnostics));
    }

    [Fact]
    public void Every_example_of_a_diagnostics_page_is_here()
    {
        var pages = Pages();
        Assert.Contains("SYN001", pages);
        Assert.All(pages, id => Assert.True(Files(id).Sources.Count > 0, $"no {Directory}/{id}.cs or {Directory}/{id}/*.cs"));
    }

    /// <summary>The ids of the pages of docs/diagnostics/ that have a C# block.</summary>
    private static List<string> Pages() =>
        SnippetTests.CSharpBlocks()
            .Where(block => block.Doc.StartsWith("docs/diagnostics/", StringComparison.Ordinal))
            .Select(block => Path.GetFileNameWithoutExtension(block.Doc))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static (IReadOnlyList<string> Sources, IReadOnlyList<string> Triggers) Files(string id)
    {
        var file = Repository.Full($"{Directory}/{id}.cs");
        var directory = Repository.Full($"{Directory}/{id}");
        if (File.Exists(file))
        {
            return ([file], []);
        }

        if (!System.IO.Directory.Exists(directory))
        {
            return ([], []);
        }

        var all = System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        return (all.Where(path => path.EndsWith(".cs", StringComparison.Ordinal)).ToList(), all.Where(path => Path.GetFileName(path) == "TRIGGERS").ToList());
    }

    private static bool IsAt(Diagnostic diagnostic, string path, int line)
    {
        var span = diagnostic.Location.GetLineSpan();
        return span.IsValid && Path.GetFullPath(span.Path) == Path.GetFullPath(path) && span.StartLinePosition.Line == line;
    }

    /// <summary>A comment (C# <c>//</c>, TRIGGERS <c>#</c>) that starts with a diagnostic id, or with "fixed" or "fine".</summary>
    [GeneratedRegex(@"(?://|(?<![\w""])#)\s*(?<id>SYN\d{3,4}|fixed|fine)\b")]
    private static partial Regex MarkerRegex();
}
