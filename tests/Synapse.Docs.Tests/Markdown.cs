using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Synapse.Docs.Tests;

/// <summary>A fenced code block of a Markdown file: its info string, the line of its opening fence and its lines.</summary>
internal sealed record CodeBlock(string Doc, int Line, string Language, IReadOnlyList<string> Lines);

/// <summary>A link or image of a Markdown file: its target as written and the line it is on.</summary>
internal sealed record MarkdownLink(string Doc, int Line, string Target);

/// <summary>The little Markdown the docs tests need: fenced blocks, links, and GitHub's heading anchors.</summary>
internal static partial class Markdown
{
    /// <summary>Info strings of C# blocks.</summary>
    public static readonly IReadOnlySet<string> CSharp = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "csharp", "cs", "c#" };

    /// <summary>The fenced code blocks of a file (``` or ~~~, three or more), in order.</summary>
    public static IReadOnlyList<CodeBlock> CodeBlocks(string doc, IReadOnlyList<string> lines)
    {
        var blocks = new List<CodeBlock>();
        for (var i = 0; i < lines.Count; i++)
        {
            var open = FenceRegex().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var fence = open.Groups["fence"].Value;
            var language = open.Groups["info"].Value.Trim().Split(' ', 2)[0];
            var body = new List<string>();
            var j = i + 1;
            for (; j < lines.Count && !IsClosingFence(lines[j], fence); j++)
            {
                body.Add(lines[j]);
            }

            blocks.Add(new CodeBlock(doc, i + 1, language, body));
            i = j;
        }

        return blocks;
    }

    /// <summary>Whether a line lies inside a fenced code block, for each line of a file.</summary>
    public static bool[] InsideFences(IReadOnlyList<string> lines)
    {
        var inside = new bool[lines.Count];
        foreach (var block in CodeBlocks("", lines))
        {
            for (var k = block.Line - 1; k < Math.Min(lines.Count, block.Line + block.Lines.Count + 1); k++)
            {
                inside[k] = true;
            }
        }

        return inside;
    }

    /// <summary>
    /// A block's text for comparison: trailing whitespace trimmed from every line, the indentation common to its
    /// non-blank lines removed, and blank lines at its start and end dropped.
    /// </summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> lines)
    {
        var trimmed = lines.Select(line => line.TrimEnd()).ToList();
        var start = trimmed.FindIndex(line => line.Length > 0);
        if (start < 0)
        {
            return [];
        }

        var end = trimmed.FindLastIndex(line => line.Length > 0);
        trimmed = trimmed.GetRange(start, end - start + 1);
        var indent = trimmed.Where(line => line.Length > 0).Min(line => line.Length - line.TrimStart().Length);
        return trimmed.Select(line => line.Length == 0 ? line : line[indent..]).ToList();
    }

    /// <summary>The inline links and images (<c>[text](target)</c>, <c>![alt](target)</c>) and link definitions
    /// (<c>[label]: target</c>) of a file, outside code blocks and code spans.</summary>
    public static IReadOnlyList<MarkdownLink> Links(string doc, IReadOnlyList<string> lines)
    {
        var links = new List<MarkdownLink>();
        var fenced = InsideFences(lines);
        for (var i = 0; i < lines.Count; i++)
        {
            if (fenced[i])
            {
                continue;
            }

            var line = CodeSpanRegex().Replace(lines[i], match => new string(' ', match.Length));
            var definition = DefinitionRegex().Match(line);
            if (definition.Success)
            {
                links.Add(new MarkdownLink(doc, i + 1, Destination(definition.Groups["target"].Value)));
                continue;
            }

            foreach (Match link in InlineLinkRegex().Matches(line))
            {
                links.Add(new MarkdownLink(doc, i + 1, Destination(link.Groups["target"].Value)));
            }
        }

        return links;
    }

    /// <summary>The anchors GitHub gives a file's headings (and the ids of its HTML anchors).</summary>
    public static IReadOnlySet<string> Anchors(IReadOnlyList<string> lines)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var fenced = InsideFences(lines);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            if (fenced[i])
            {
                continue;
            }

            foreach (Match html in HtmlAnchorRegex().Matches(lines[i]))
            {
                anchors.Add(html.Groups["id"].Value);
            }

            string? heading = null;
            var atx = AtxHeadingRegex().Match(lines[i]);
            if (atx.Success)
            {
                heading = atx.Groups["text"].Value;
            }
            else if (i > 0 && !fenced[i - 1] && SetextUnderlineRegex().IsMatch(lines[i]) && IsParagraphLine(lines[i - 1]))
            {
                heading = lines[i - 1];
            }

            if (heading is null)
            {
                continue;
            }

            var slug = Slug(heading);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : slug + "-" + count.ToString(CultureInfo.InvariantCulture));
        }

        return anchors;
    }

    /// <summary>
    /// GitHub's anchor for a heading: its rendered text (links reduced to their text) in lower case, with every
    /// character that is not a letter, a digit, a space, '-' or '_' removed, and every space turned into '-'.
    /// </summary>
    public static string Slug(string heading)
    {
        var text = InlineLinkTextRegex().Replace(heading.Trim(), "${text}");
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (c == ' ')
            {
                slug.Append('-');
            }
            else if (c is '-' or '_' || char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                slug.Append(c);
            }
        }

        return slug.ToString();
    }

    private static bool IsParagraphLine(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length > 0 && !trimmed.StartsWith('|') && !trimmed.StartsWith('#') && !trimmed.StartsWith('>')
            && !ListItemRegex().IsMatch(trimmed);
    }

    private static bool IsClosingFence(string line, string fence)
    {
        var trimmed = line.Trim();
        return trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0]);
    }

    private static string Destination(string target)
    {
        target = target.Trim();
        if (target.StartsWith('<'))
        {
            var close = target.IndexOf('>', StringComparison.Ordinal);
            return close > 0 ? target[1..close] : target;
        }

        // A title may follow the destination: [text](path "title").
        var space = target.IndexOfAny([' ', '\t']);
        return space < 0 ? target : target[..space];
    }

    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex FenceRegex();

    [GeneratedRegex(@"(`+)(?:(?!\1).)+?\1")]
    private static partial Regex CodeSpanRegex();

    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\((?<target><[^>]*>|(?:[^()\s]|\([^()]*\))+(?:\s+""[^""]*"")?)\s*\)")]
    private static partial Regex InlineLinkRegex();

    [GeneratedRegex(@"!?\[(?<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\([^)]*\)")]
    private static partial Regex InlineLinkTextRegex();

    [GeneratedRegex(@"^ {0,3}\[(?<label>[^\]]+)\]:\s+(?<target>\S+(?:\s+""[^""]*"")?)\s*$")]
    private static partial Regex DefinitionRegex();

    [GeneratedRegex(@"^ {0,3}#{1,6}\s+(?<text>.*?)(?:\s+#+)?\s*$")]
    private static partial Regex AtxHeadingRegex();

    [GeneratedRegex(@"^ {0,3}(=+|-+)\s*$")]
    private static partial Regex SetextUnderlineRegex();

    [GeneratedRegex(@"<a\s+(?:[^>]*\s)?(?:name|id)\s*=\s*""(?<id>[^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlAnchorRegex();

    [GeneratedRegex(@"^([-*+]|\d+[.)])\s")]
    private static partial Regex ListItemRegex();
}
