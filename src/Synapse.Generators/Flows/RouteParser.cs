using System.Collections.Generic;
using System.Text.RegularExpressions;
using Synapse.Generators.Common;

namespace Synapse.Generators.Flows;

/// <summary>
/// Summoner's route grammar (<c>Flow.parse_route</c>), run at compile time. For each arrow style the six arrow
/// shapes are tried in Summoner's order and the first match wins; a string that matches none is a list of objects
/// split on <c>','</c>. Every item must be a state name or a gate. A rejected route is explained by
/// <see cref="RouteMistakes"/> when it is a common mistake (an arrow that is not one, a missing <c>[</c> or <c>]</c>,
/// two arrows), else by the first invalid item; either way with how to write it and where the offending text is.
/// </summary>
internal static class RouteParser
{
    public static RouteParseResult Parse(string route, IReadOnlyList<ArrowStyle> styles)
    {
        var result = ParseCore(route, styles);
        return result.Route is null
            ? RouteParseResult.Fail(RouteMistakes.Find(route, styles) ?? result.Failure!)
            : result;
    }

    private static RouteParseResult ParseCore(string route, IReadOnlyList<ArrowStyle> styles)
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

        if (CommaInParentheses(route) is { } comma)
        {
            return RouteParseResult.Fail(comma);
        }

        var objects = new List<RouteNode>();
        foreach (var (text, offset) in Split(route, 0, ",", respectParentheses: false))
        {
            var node = RouteTokens.Parse(text, offset, out var error);
            if (node is null)
            {
                return RouteParseResult.Fail(error!);
            }

            objects.Add(node);
        }

        return RouteParseResult.Ok(new ParsedRoute(false, objects.ToEquatableArray(), default, default));
    }

    /// <summary>A list of objects is split on every ',' (as in Summoner), so a gate with two names only works in an arrow.</summary>
    private static RouteError? CommaInParentheses(string route)
    {
        var depth = 0;
        for (var i = 0; i < route.Length; i++)
        {
            if (route[i] == '(')
            {
                depth++;
            }
            else if (route[i] == ')' && depth > 0)
            {
                depth--;
            }
            else if (route[i] == ',' && depth > 0)
            {
                return new RouteError(
                    "without an arrow a route is a list of objects split on every ',', so the ',' at column " + RouteTokens.Column(i) + " cuts a gate in two",
                    "the gate inside an arrow, where a ',' inside parentheses separates its names (as in '/oneof(a, b) --> c')",
                    i,
                    1);
            }
        }

        return null;
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
                var node = RouteTokens.Parse(text, offset, out var error);
                if (node is null)
                {
                    return RouteParseResult.Fail(error!);
                }

                parts[i].Add(node);
            }
        }

        // "a -->" and "a --[ ]-->" degenerate to the object "a", as in Summoner (and the runtime's FlowRoute.Arrow).
        var isArrow = parts[1].Count > 0 || parts[2].Count > 0;
        return RouteParseResult.Ok(new ParsedRoute(isArrow, parts[0].ToEquatableArray(), parts[1].ToEquatableArray(), parts[2].ToEquatableArray()));
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
