using System.Collections.Generic;
using Synapse.Generators.Helpers;

namespace Synapse.Generators.Flows;

/// <summary>
/// One item of a route: a state name (<c>^[A-Za-z_]\w*$</c>) or a gate (<c>/all</c>, <c>/not(a,b)</c>,
/// <c>/oneof(a,b)</c>), as Summoner's flow regex and <c>Node</c> validation accept them.
/// </summary>
internal static class RouteTokens
{
    /// <summary>Parses a trimmed token found at <paramref name="offset"/>; null with an error and its offset when invalid.</summary>
    public static RouteNode? Parse(string token, int offset, out string? error, out int errorOffset)
    {
        error = null;
        errorOffset = 0;
        if (token.Length > 0 && token[0] == '/')
        {
            return Gate(token, offset, out error, out errorOffset);
        }

        var bad = FirstInvalidNameChar(token);
        if (bad >= 0)
        {
            error = Describe(token, bad, "a state name starts with a letter or '_' and continues with letters, digits or '_'");
            errorOffset = offset + bad;
            return null;
        }

        return new RouteNode(RouteNodeKind.Plain, token, default, offset, token.Length);
    }

    /// <summary>The index of the first character that keeps <paramref name="name"/> from being a state name, or -1.</summary>
    public static int FirstInvalidNameChar(string name)
    {
        if (name.Length == 0)
        {
            return 0;
        }

        if (!(IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return 0;
        }

        for (var i = 1; i < name.Length; i++)
        {
            if (!(char.IsLetterOrDigit(name[i]) || name[i] == '_'))
            {
                return i;
            }
        }

        return -1;
    }

    private static RouteNode? Gate(string token, int offset, out string? error, out int errorOffset)
    {
        error = null;
        errorOffset = 0;
        var end = 1;
        while (end < token.Length && token[end] != '(')
        {
            end++;
        }

        var name = token.Substring(1, end - 1);
        if (name == "all")
        {
            if (end == token.Length)
            {
                return new RouteNode(RouteNodeKind.All, "", default, offset, token.Length);
            }

            error = "'/all' takes no names";
            errorOffset = offset + end;
            return null;
        }

        if (name is not ("not" or "oneof"))
        {
            error = "unknown gate '" + token + "': the gates are /all, /not(names) and /oneof(names)";
            errorOffset = offset;
            return null;
        }

        if (end == token.Length)
        {
            error = "'/" + name + "' needs a list of names in parentheses";
            errorOffset = offset + end - 1;
            return null;
        }

        var close = token.IndexOf(')', end);
        if (close < 0 || close != token.Length - 1)
        {
            error = close < 0 ? "'/" + name + "(' is not closed" : "unexpected text after ')'";
            errorOffset = offset + (close < 0 ? end : close + 1);
            return null;
        }

        var names = new List<string>();
        var start = end + 1;
        for (var i = start; i <= close; i++)
        {
            if (i < close && token[i] != ',')
            {
                continue;
            }

            var itemStart = start;
            var itemEnd = i;
            while (itemStart < itemEnd && char.IsWhiteSpace(token[itemStart]))
            {
                itemStart++;
            }

            while (itemEnd > itemStart && char.IsWhiteSpace(token[itemEnd - 1]))
            {
                itemEnd--;
            }

            var item = token.Substring(itemStart, itemEnd - itemStart);
            if (item.Length > 0)
            {
                var bad = FirstInvalidNameChar(item);
                if (bad >= 0)
                {
                    error = Describe(item, bad, "the names of a gate are state names");
                    errorOffset = offset + itemStart + bad;
                    return null;
                }

                names.Add(item);
            }

            start = i + 1;
        }

        return new RouteNode(name == "not" ? RouteNodeKind.Not : RouteNodeKind.OneOf, "", names.ToEquatableArray(), offset, token.Length);
    }

    private static string Describe(string token, int index, string rule) =>
        "unexpected '" + token[index] + "' in '" + token + "': " + rule;

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
