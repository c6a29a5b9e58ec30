using System.Collections.Generic;
using System.Linq;

namespace Synapse.Generators.Flows;

/// <summary>An arrow style (Summoner's <c>add_arrow_style</c>): <c>stem</c> doubled, brackets, separator and tip.</summary>
internal sealed record ArrowStyle(string Stem, string Left, string Right, string Separator, string Tip)
{
    /// <summary>The style every Synapse node has: <c>a --[ f ]--&gt; b</c>.</summary>
    public static ArrowStyle Default { get; } = new("-", "[", "]", ",", ">");

    /// <summary>Null when the style is valid, else why not (Summoner's <c>ArrowStyle</c> rules).</summary>
    public string? Validate()
    {
        if (Stem.Length != 1)
        {
            return "the stem must be exactly one character";
        }

        if (Left.Length == 0 || Right.Length == 0 || Separator.Length == 0 || Tip.Length == 0)
        {
            return "the brackets, the separator and the tip must not be empty";
        }

        var parts = new[] { Stem + Stem, Left, Right, Tip }.Distinct().ToList();
        foreach (var a in parts)
        {
            foreach (var b in parts)
            {
                if (a != b && a.Contains(b))
                {
                    return "'" + a + "' contains '" + b + "' (the doubled stem, brackets and tip must not contain one another)";
                }
            }
        }

        foreach (var forbidden in new[] { Stem, Left, Right, Tip, "(", ")", "/" })
        {
            if (Separator.Contains(forbidden))
            {
                return "the separator '" + Separator + "' contains '" + forbidden + "'";
            }
        }

        return null;
    }

    /// <summary>The default style followed by the declared ones, without duplicates.</summary>
    public static IReadOnlyList<ArrowStyle> WithDefault(IEnumerable<ArrowStyle> declared) =>
        new[] { Default }.Concat(declared).Distinct().ToList();
}
