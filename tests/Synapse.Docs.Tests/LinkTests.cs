using System.Text.RegularExpressions;

namespace Synapse.Docs.Tests;

/// <summary>
/// Every relative link and image of README.md and docs/ resolves to a file or directory inside the repository, and a
/// link to a heading of a Markdown file (<c>file.md#anchor</c>, or <c>#anchor</c> in the same file) names a heading
/// that exists, by GitHub's anchor rules.
/// </summary>
public sealed partial class LinkTests
{
    [Fact]
    public void Every_relative_link_resolves_inside_the_repository()
    {
        var broken = new List<string>();
        var links = Repository.Docs().SelectMany(doc => Markdown.Links(doc, File.ReadAllLines(Repository.Full(doc)))).ToList();
        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            if (Problem(link) is { } problem)
            {
                broken.Add($"{link.Doc}:{link.Line}: ({link.Target}) {problem}");
            }
        }

        Assert.True(
            broken.Count == 0,
            $"{broken.Count} of the {links.Count} links of README.md and docs/ do not resolve inside the repository "
            + "(a relative link is resolved from the directory of the file that holds it, and must stay inside the repository):"
            + Environment.NewLine + string.Join(Environment.NewLine, broken));
    }

    [Theory]
    [InlineData("Quickstart", "quickstart")]
    [InlineData("Publishing as a Native AOT binary", "publishing-as-a-native-aot-binary")]
    [InlineData("The `synapse` tool", "the-synapse-tool")]
    [InlineData("How a message is handled (`FlowRunner`)", "how-a-message-is-handled-flowrunner")]
    [InlineData("Triggers: the `TRIGGERS` file", "triggers-the-triggers-file")]
    [InlineData("SYN001: [AgentNode] class must be partial", "syn001-agentnode-class-must-be-partial")]
    [InlineData("Compile-time flows: what the generator does", "compile-time-flows-what-the-generator-does")]
    [InlineData("A C# agent on a [Summoner](summoner.md) relay", "a-c-agent-on-a-summoner-relay")]
    [InlineData("snake_case and  two spaces", "snake_case-and--two-spaces")]
    public void Anchors_follow_GitHub(string heading, string anchor) => Assert.Equal(anchor, Markdown.Slug(heading));

    [Fact]
    public void Duplicate_headings_are_numbered_and_code_blocks_are_not_headings()
    {
        var anchors = Markdown.Anchors(["# Title", "## Example", "```sh", "# not a heading", "```", "## Example", "Setext", "======"]);
        Assert.Equal(["example", "example-1", "setext", "title"], anchors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Links_are_found_outside_code_and_with_titles()
    {
        var links = Markdown.Links("x.md", [
            "See [a](a.md), ![img](img/x.png \"title\") and [b](<b c.md>).",
            "`[not](a link.md)` and [c](c.md#part)",
            "```",
            "[code](code.md)",
            "```",
            "[ref]: docs/ref.md",
        ]);
        Assert.Equal(["a.md", "img/x.png", "b c.md", "c.md#part", "docs/ref.md"], links.Select(l => l.Target));
    }

    [Theory]
    [InlineData("README.md", "../" + "shared/spec/protocol.md", "leads outside the repository")]
    [InlineData("docs/flows.md", "../../" + "shared/spec/", "leads outside the repository")]
    [InlineData("docs/flows.md", "missing.md", "does not exist")]
    [InlineData("docs/flows.md", "flow-generator.md#no-such-heading", "names no heading")]
    [InlineData("docs/flows.md", "#no-such-heading", "names no heading")]
    public void Broken_links_are_reported(string doc, string target, string problem) =>
        Assert.Contains(problem, Problem(new MarkdownLink(doc, 1, target)), StringComparison.Ordinal);

    [Theory]
    [InlineData("docs/flows.md", "flow-generator.md#triggers-the-triggers-file")]
    [InlineData("docs/flows.md", "#declaring-a-flow")]
    [InlineData("docs/flows.md", "../src/Synapse.Runtime/Flows/")]
    [InlineData("docs/flows.md", "https://example.com/../../x")]
    [InlineData("README.md", "mailto:someone@example.com")]
    public void Good_links_pass(string doc, string target) => Assert.Null(Problem(new MarkdownLink(doc, 1, target)));

    /// <summary>What is wrong with a link, or null when it resolves (or is not relative).</summary>
    private static string? Problem(MarkdownLink link)
    {
        var target = link.Target;
        if (target.Length == 0)
        {
            return "is empty";
        }

        if (SchemeRegex().IsMatch(target) || target.StartsWith("//", StringComparison.Ordinal))
        {
            return null; // http(s), mailto and other absolute URLs are not checked
        }

        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var pathPart = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
        var anchor = hash < 0 ? null : Uri.UnescapeDataString(target[(hash + 1)..]);
        var query = pathPart.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            pathPart = pathPart[..query];
        }

        var root = Path.TrimEndingDirectorySeparator(Repository.Root);
        var from = Path.GetDirectoryName(Repository.Full(link.Doc))!;
        var resolved = pathPart.Length == 0
            ? Repository.Full(link.Doc)
            : Path.GetFullPath(pathPart.StartsWith('/') ? Path.Combine(root, pathPart.TrimStart('/')) : Path.Combine(from, pathPart));
        if (resolved != root && !resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return $"leads outside the repository, to {resolved}";
        }

        if (File.Exists(resolved))
        {
            if (anchor is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
                && !Markdown.Anchors(File.ReadAllLines(resolved)).Contains(anchor))
            {
                return $"names no heading of {Repository.Relative(resolved)}: it has no heading whose anchor is '#{anchor}'";
            }

            return null;
        }

        return Directory.Exists(resolved) ? null : $"names {Repository.Relative(resolved)}, which does not exist";
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex SchemeRegex();
}
