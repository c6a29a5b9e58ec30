using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Synapse.Generators.Tests;

/// <summary>Parses <c>{|ID:text|}</c> markers out of test source, recording the expected diagnostic id and span.</summary>
internal sealed class DiagnosticMarkup
{
    private DiagnosticMarkup(string source, List<(string Id, TextSpan Span)> expected)
    {
        Source = source;
        Expected = expected;
    }

    public string Source { get; }

    public IReadOnlyList<(string Id, TextSpan Span)> Expected { get; }

    public static DiagnosticMarkup Parse(string markup)
    {
        var builder = new StringBuilder(markup.Length);
        var expected = new List<(string, TextSpan)>();
        var i = 0;
        while (i < markup.Length)
        {
            var open = markup.IndexOf("{|", i, StringComparison.Ordinal);
            if (open < 0)
            {
                builder.Append(markup, i, markup.Length - i);
                break;
            }

            builder.Append(markup, i, open - i);
            var colon = markup.IndexOf(':', open);
            var close = markup.IndexOf("|}", colon, StringComparison.Ordinal);
            if (colon < 0 || close < 0)
            {
                throw new FormatException("Unterminated diagnostic marker at " + open);
            }

            var id = markup.Substring(open + 2, colon - open - 2);
            var text = markup.Substring(colon + 1, close - colon - 1);
            expected.Add((id, new TextSpan(builder.Length, text.Length)));
            builder.Append(text);
            i = close + 2;
        }

        return new DiagnosticMarkup(builder.ToString(), expected);
    }
}
