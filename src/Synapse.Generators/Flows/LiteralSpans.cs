using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Synapse.Generators.Common;

namespace Synapse.Generators.Flows;

/// <summary>
/// Maps offsets in a string constant back to its source: for a regular, verbatim or single-line raw literal, entry
/// <c>i</c> of the map is where the value's character <c>i</c> starts, relative to the literal (the last entry is the
/// closing quote). Other expressions (constants, concatenations, multi-line raw literals) give no map, and their
/// diagnostics cover the whole expression.
/// </summary>
internal static class LiteralSpans
{
    public static EquatableArray<int> Map(ExpressionSyntax? expression)
    {
        if (expression is not LiteralExpressionSyntax literal ||
            !(literal.Token.IsKind(SyntaxKind.StringLiteralToken) || literal.Token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken)))
        {
            return default;
        }

        var text = literal.Token.Text;
        var value = literal.Token.ValueText;
        var map = new List<int>();
        if (text.StartsWith("@\"", System.StringComparison.Ordinal))
        {
            for (var i = 2; i < text.Length - 1; i++)
            {
                map.Add(i);
                if (text[i] == '"')
                {
                    i++;
                }
            }

            map.Add(text.Length - 1);
        }
        else if (text.StartsWith("\"\"\"", System.StringComparison.Ordinal))
        {
            var quotes = 0;
            while (quotes < text.Length && text[quotes] == '"')
            {
                quotes++;
            }

            if (text.IndexOf('\n') >= 0)
            {
                return default;
            }

            for (var i = quotes; i <= text.Length - quotes; i++)
            {
                map.Add(i);
            }
        }
        else if (text.StartsWith("\"", System.StringComparison.Ordinal))
        {
            for (var i = 1; i < text.Length - 1; i++)
            {
                map.Add(i);
                if (text[i] == '\\' && i + 1 < text.Length)
                {
                    var escape = text[i + 1];
                    var length = escape switch
                    {
                        'u' => 6,
                        'U' => 10,
                        'x' => XLength(text, i),
                        _ => 2,
                    };
                    if (escape == 'U')
                    {
                        map.Add(i); // a surrogate pair: two characters of the value
                    }

                    i += length - 1;
                }
            }

            map.Add(text.Length - 1);
        }

        return map.Count == value.Length + 1 ? map.ToEquatableArray() : default;
    }

    /// <summary>The span of value characters [<paramref name="offset"/>, +<paramref name="length"/>) in the source, or the whole expression.</summary>
    public static TextSpan Span(TextSpan literal, EquatableArray<int> map, int offset, int length)
    {
        if (map.IsEmpty)
        {
            return literal;
        }

        var last = map.Count - 1;
        var start = map[System.Math.Min(offset, last)];
        var end = offset + length >= last ? map[last] : map[offset + length];
        if (end <= start)
        {
            end = start + 1; // the closing quote, for an error at the end of the route
        }

        return new TextSpan(literal.Start + start, end - start);
    }

    private static int XLength(string text, int i)
    {
        var n = 2;
        while (n < 6 && i + n < text.Length - 1 && Uri.IsHexDigit(text[i + n]))
        {
            n++;
        }

        return n;
    }

    private static class Uri
    {
        public static bool IsHexDigit(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
