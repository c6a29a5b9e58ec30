using System.Collections.Generic;
using System.Globalization;
using Synapse.Generators.Common;

namespace Synapse.Generators.Flows;

/// <summary>
/// One item of a route: a state name (<c>^[A-Za-z_]\w*$</c>) or a gate (<c>/all</c>, <c>/not(a,b)</c>,
/// <c>/oneof(a,b)</c>), as Summoner's flow regex and <c>Node</c> validation accept them.
/// </summary>
internal static class RouteTokens
{
    /// <summary>Parses a trimmed token found at <paramref name="offset"/>; null with the reason when invalid.</summary>
    public static RouteNode? Parse(string token, int offset, out RouteError? error)
    {
        error = null;
        if (token.Length > 0 && token[0] == '/')
        {
            return Gate(token, offset, out error);
        }

        var bad = FirstInvalidNameChar(token);
        if (bad >= 0)
        {
            error = NameError(token, offset, bad, context: null);
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

    /// <summary>A state name close to <paramref name="text"/>: other characters become one '_', and a name that would not start with a letter or '_' gets one.</summary>
    public static string SuggestName(string text)
    {
        var name = new System.Text.StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                name.Append(c);
            }
            else if (name.Length > 0 && name[name.Length - 1] != '_')
            {
                name.Append('_');
            }
        }

        var result = text.EndsWith("_", System.StringComparison.Ordinal) ? name.ToString() : name.ToString().TrimEnd('_');
        if (result.Length == 0)
        {
            return "state";
        }

        return IsAsciiLetter(result[0]) || result[0] == '_' ? result : "_" + result;
    }

    /// <summary>One-based column of an offset in the route string, for messages.</summary>
    public static string Column(int offset) => (offset + 1).ToString(CultureInfo.InvariantCulture);

    private static RouteNode? Gate(string token, int offset, out RouteError? error)
    {
        error = null;
        var end = 1;
        while (end < token.Length && token[end] != '(')
        {
            end++;
        }

        var name = token.Substring(1, end - 1);
        var rest = token.Substring(end);
        if (name == "all")
        {
            if (end == token.Length)
            {
                return new RouteNode(RouteNodeKind.All, "", default, offset, token.Length);
            }

            error = new RouteError("'/all' takes no names", "'/all' alone (it accepts every state), or '/oneof" + rest + "' for some of them", offset + end, 1);
            return null;
        }

        if (name is not ("not" or "oneof"))
        {
            error = UnknownGate(name, rest, offset);
            return null;
        }

        if (end == token.Length)
        {
            error = new RouteError("'/" + name + "' needs its names in parentheses", "'/" + name + "(a, b)' with the state names", offset + end - 1, 1);
            return null;
        }

        var close = token.IndexOf(')', end);
        if (close < 0)
        {
            error = new RouteError("'/" + name + "(' is missing its ')'", "')' after its names (as in '" + token + ")')", offset + end, 1);
            return null;
        }

        if (close != token.Length - 1)
        {
            var after = token.Substring(close + 1).TrimStart();
            var at = offset + close + 1;
            error = new RouteError(
                "unexpected '" + token[close + 1] + "' at column " + Column(at) + ", after the ')' of '/" + name + "('",
                after.Length > 0 && after[0] == ')'
                    ? "the gate with one ')' (as in '" + token.Substring(0, close + 1) + "')"
                    : "',' between the gate and what follows (as in '" + token.Substring(0, close + 1) + ", " + after + "')",
                at,
                1);
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
                    error = NameError(item, offset + itemStart, bad, context: token);
                    return null;
                }

                names.Add(item);
            }

            start = i + 1;
        }

        return new RouteNode(name == "not" ? RouteNodeKind.Not : RouteNodeKind.OneOf, "", names.ToEquatableArray(), offset, token.Length);
    }

    private static RouteError UnknownGate(string name, string rest, int offset)
    {
        var lower = name.ToLowerInvariant();
        if (lower is "all" or "not" or "oneof")
        {
            return new RouteError("'/" + name + "' is not a gate: gate names are lower case", "'/" + lower + rest + "'", offset, name.Length + 1);
        }

        if (name.Length == 0)
        {
            return new RouteError("'/' is not followed by a gate name", "'/all', '/not(…)' or '/oneof(…)'", offset, 1);
        }

        var asState = FirstInvalidNameChar(name) < 0 && rest.Length == 0 ? ", or '" + name + "' without '/' for a state" : "";
        return new RouteError("'/" + name + "' is not a gate", "'/all', '/not(…)' or '/oneof(…)'" + asState, offset, name.Length + 1);
    }

    /// <summary>Why <paramref name="name"/> (at <paramref name="offset"/>, inside the gate <paramref name="context"/> if any) is not a state name.</summary>
    private static RouteError NameError(string name, int offset, int index, string? context)
    {
        var c = name[index];
        var at = offset + index;
        var subject = "'" + name + "'" + (context is null ? "" : " in '" + context + "'") + " is not a state name";
        if (char.IsWhiteSpace(c))
        {
            var words = name.Split((char[]?)null, System.StringSplitOptions.RemoveEmptyEntries);
            return new RouteError(
                subject + ": it has " + Whitespace(c) + " at column " + Column(at),
                "',' between two states (as in '" + string.Join(", ", words) + "'), or '_' inside one name (as in '" + SuggestName(name) + "')",
                at,
                1);
        }

        if (index == 0 && char.IsLetterOrDigit(c))
        {
            return new RouteError(
                subject + ": it starts with '" + c + "' at column " + Column(at) + ", not with an ASCII letter or '_'",
                "a name that starts with a letter or '_' (as in '" + SuggestName(name) + "')",
                at,
                1);
        }

        var fix = "a name of letters, digits and '_' (as in '" + SuggestName(name) + "')";
        if (c == '-' && context is null && index < name.Length - 1)
        {
            fix += ", or an arrow (as in '" + name.Substring(0, index) + " --> " + name.Substring(index + 1) + "')";
        }
        else if (c == '(' && context is null)
        {
            var inner = name.Substring(index + 1).TrimEnd(')');
            fix += ", or a gate, the only item with parentheses (as in '/oneof(" + inner + ")')";
        }

        return new RouteError(subject + ": '" + c + "' at column " + Column(at) + " is not a letter, digit or '_'", fix, at, 1);
    }

    private static string Whitespace(char c) => c switch
    {
        ' ' => "a space",
        '\t' => "a tab",
        _ => "a whitespace character",
    };

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
