using System.Collections.Generic;
using System.Text.RegularExpressions;
using Synapse.Generators.Helpers;

namespace Synapse.Generators.Flows;

/// <summary>
/// Summoner's route grammar (<c>Flow.parse_route</c>), run at compile time. For each arrow style the six arrow
/// shapes are tried in Summoner's order and the first match wins; a string that matches none is a list of objects
/// split on <c>','</c>. Every item must be a state name or a gate. Failures give the offset of the offending character.
/// </summary>
internal static class RouteParser
{
    public static RouteParseResult Parse(string route, IReadOnlyList<ArrowStyle> styles)
    {
        foreach (var style in styles)
        {
            foreach (var regex in Shapes(style))
            {
                var match = regex.Match(route);
                if (match.Success)
                {
                    return Arrow(match, style.Separator);
                }
            }
        }

        var objects = new List<RouteNode>();
        foreach (var (text, offset) in Split(route, 0, ",", respectParentheses: false))
        {
            var node = RouteTokens.Parse(text, offset, out var error, out var errorOffset);
            if (node is null)
            {
                return RouteParseResult.Fail(error!, errorOffset);
            }

            objects.Add(node);
        }

        return new RouteParseResult(new ParsedRoute(false, objects.ToEquatableArray(), default, default), null, 0);
    }

    private static RouteParseResult Arrow(Match match, string separator)
    {
        var parts = new List<RouteNode>[3];
        var names = new[] { "src", "lab", "tgt" };
        for (var i = 0; i < 3; i++)
        {
            parts[i] = new List<RouteNode>();
            var group = match.Groups[names[i]];
            if (!group.Success)
            {
                continue;
            }

            foreach (var (text, offset) in Split(group.Value, group.Index, separator, respectParentheses: true))
            {
                var node = RouteTokens.Parse(text, offset, out var error, out var errorOffset);
                if (node is null)
                {
                    return RouteParseResult.Fail(error!, errorOffset);
                }

                parts[i].Add(node);
            }
        }

        // "a -->" and "a --[ ]-->" degenerate to the object "a", as in Summoner (and the runtime's FlowRoute.Arrow).
        var isArrow = parts[1].Count > 0 || parts[2].Count > 0;
        return new RouteParseResult(
            new ParsedRoute(isArrow, parts[0].ToEquatableArray(), parts[1].ToEquatableArray(), parts[2].ToEquatableArray()),
            null,
            0);
    }

    /// <summary>The six shapes of one style, in Summoner's order.</summary>
    private static IEnumerable<Regex> Shapes(ArrowStyle style)
    {
        var s = Regex.Escape(style.Stem + style.Stem);
        var labeled = s + @"\s*" + Regex.Escape(style.Left) + "(?<lab>.*?)" + Regex.Escape(style.Right) + @"\s*" + s + @"\s*" + Regex.Escape(style.Tip);
        var plain = s + @"\s*" + Regex.Escape(style.Tip);
        const string Source = @"^\s*(?<src>\S.*?)\s*";
        const string Target = @"\s*(?<tgt>\S.*?)\s*$";
        yield return Build(Source + labeled + Target);
        yield return Build(@"^\s*" + labeled + Target);
        yield return Build(Source + labeled + @"\s*$");
        yield return Build(Source + plain + Target);
        yield return Build(@"^\s*" + plain + Target);
        yield return Build(Source + plain + @"\s*$");
    }

    private static Regex Build(string pattern) => new(pattern, RegexOptions.CultureInvariant);

    /// <summary>Splits <paramref name="text"/> on <paramref name="separator"/> (outside parentheses when asked), trims items and drops empty ones.</summary>
    private static IEnumerable<(string Text, int Offset)> Split(string text, int baseOffset, string separator, bool respectParentheses)
    {
        var depth = 0;
        var start = 0;
        var i = 0;
        while (i <= text.Length)
        {
            var atEnd = i == text.Length;
            if (!atEnd && respectParentheses && text[i] == '(')
            {
                depth++;
            }
            else if (!atEnd && respectParentheses && text[i] == ')' && depth > 0)
            {
                depth--;
            }

            if (atEnd || (depth == 0 && string.CompareOrdinal(text, i, separator, 0, separator.Length) == 0))
            {
                var item = Trim(text, start, i, baseOffset);
                if (item.Text.Length > 0)
                {
                    yield return item;
                }

                if (atEnd)
                {
                    yield break;
                }

                i += separator.Length;
                start = i;
                continue;
            }

            i++;
        }
    }

    private static (string Text, int Offset) Trim(string text, int start, int end, int baseOffset)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return (text.Substring(start, end - start), baseOffset + start);
    }
}
