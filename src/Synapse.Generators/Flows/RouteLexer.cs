using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace Synapse.Generators.Flows;

/// <summary>What a piece of a route is, for <see cref="RouteMistakes"/>.</summary>
internal enum RoutePieceKind
{
    /// <summary>A plain arrow of some style (<c>--&gt;</c>).</summary>
    Arrow,

    /// <summary>The opening of a label (<c>--[</c>).</summary>
    Open,

    /// <summary>The end of a label (<c>]--&gt;</c>).</summary>
    Close,

    /// <summary>Arrow characters that form none of the above (<c>-&gt;</c>, <c>=&gt;</c>, <c>&lt;--</c>, <c>]-&gt;</c>).</summary>
    Bad,

    /// <summary>A label bracket that is not part of an opening or an end.</summary>
    Bracket,
}

/// <summary>
/// A piece of a route: where it is, its style, and (for <see cref="RoutePieceKind.Bad"/> and
/// <see cref="RoutePieceKind.Bracket"/>) what it was meant to be: an arrow, an opening or an end of a label.
/// </summary>
internal sealed record RoutePiece(RoutePieceKind Kind, int Start, int Length, ArrowStyle Style, RoutePieceKind Shape)
{
    public int End => Start + Length;
}

/// <summary>
/// Splits a route into arrows, label openings and ends (of every declared style), arrow-like runs that are none of
/// them, and stray label brackets; everything else is text. Text inside parentheses belongs to a gate and is skipped.
/// A lone '-' inside a word (<c>a-b</c>) is text: it is a bad state name, not an arrow.
/// </summary>
internal sealed class RouteLexer
{
    /// <summary>Characters people use to draw arrows.</summary>
    public static readonly char[] CommonArrowChars = { '-', '=', '~', '<', '>', '→', '⇒', '⟶', '←', '⇐', '–', '—' };

    private readonly string _route;
    private readonly List<(ArrowStyle Style, Regex Close, Regex Open, Regex Arrow)> _styles;
    private readonly HashSet<char> _arrowChars;

    public RouteLexer(string route, IReadOnlyList<ArrowStyle> styles)
    {
        _route = route;
        _styles = styles.Select(s => (s, Anchored(Regex.Escape(s.Right) + @"\s*" + Stem(s) + @"\s*" + Regex.Escape(s.Tip)), Anchored(Stem(s) + @"\s*" + Regex.Escape(s.Left)), Anchored(Stem(s) + @"\s*" + Regex.Escape(s.Tip)))).ToList();
        _arrowChars = new HashSet<char>(CommonArrowChars.Concat(styles.SelectMany(s => s.Stem + s.Tip)).Where(c => !char.IsLetterOrDigit(c) && c != '_' && !char.IsWhiteSpace(c)));
    }

    private ArrowStyle Default => _styles[0].Style;

    public List<RoutePiece> Run()
    {
        var pieces = new List<RoutePiece>();
        var depth = 0;
        var i = 0;
        while (i < _route.Length)
        {
            var c = _route[i];
            if (c == '(' || (c == ')' && depth > 0) || depth > 0)
            {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                i++;
                continue;
            }

            if (Token(i) is { } token)
            {
                pieces.Add(token);
                i = token.End;
                continue;
            }

            var piece = _arrowChars.Contains(c) ? BadRun(i) : Bracket(i);
            if (piece is not null)
            {
                pieces.Add(piece);
                i = piece.End;
                continue;
            }

            i++;
        }

        return pieces;
    }

    /// <summary>A valid arrow, opening or end of a label at <paramref name="i"/>, not glued to more arrow characters.</summary>
    private RoutePiece? Token(int i)
    {
        foreach (var (style, close, open, arrow) in _styles)
        {
            foreach (var (kind, regex) in new[] { (RoutePieceKind.Close, close), (RoutePieceKind.Open, open), (RoutePieceKind.Arrow, arrow) })
            {
                var match = regex.Match(_route, i);
                if (!match.Success)
                {
                    continue;
                }

                var end = i + match.Length;
                var gluedAfter = kind != RoutePieceKind.Open && end < _route.Length && _arrowChars.Contains(_route[end]);
                var gluedBefore = kind != RoutePieceKind.Close && i > 0 && _arrowChars.Contains(_route[i - 1]);
                if (!gluedAfter && !gluedBefore)
                {
                    return new RoutePiece(kind, i, match.Length, style, kind);
                }
            }
        }

        return null;
    }

    /// <summary>A run of arrow characters at <paramref name="i"/> that is no valid token (with a following label bracket, a bad opening), or null for a lone '-' in a word.</summary>
    private RoutePiece? BadRun(int i)
    {
        var end = RunEnd(i);
        var after = SkipSpaces(end);
        if (StartsWith(after, s => s.Left) is { } style)
        {
            return new RoutePiece(RoutePieceKind.Bad, i, after + style.Left.Length - i, style, RoutePieceKind.Open);
        }

        return end - i == 1 && _route[i] is '-' or '=' or '~' && !(Blank(i - 1) && Blank(end))
            ? null
            : new RoutePiece(RoutePieceKind.Bad, i, end - i, Default, RoutePieceKind.Arrow);
    }

    /// <summary>A label bracket at <paramref name="i"/> outside any token; a right bracket followed by arrow characters is a bad end of a label.</summary>
    private RoutePiece? Bracket(int i)
    {
        if (StartsWith(i, s => s.Right) is { } right)
        {
            var after = SkipSpaces(i + right.Right.Length);
            return after < _route.Length && _arrowChars.Contains(_route[after])
                ? new RoutePiece(RoutePieceKind.Bad, i, RunEnd(after) - i, right, RoutePieceKind.Close)
                : new RoutePiece(RoutePieceKind.Bracket, i, right.Right.Length, right, RoutePieceKind.Close);
        }

        return StartsWith(i, s => s.Left) is { } left
            ? new RoutePiece(RoutePieceKind.Bracket, i, left.Left.Length, left, RoutePieceKind.Open)
            : null;
    }

    private ArrowStyle? StartsWith(int i, System.Func<ArrowStyle, string> part)
    {
        foreach (var (style, _, _, _) in _styles)
        {
            var text = part(style);
            if (i + text.Length <= _route.Length && string.CompareOrdinal(_route, i, text, 0, text.Length) == 0)
            {
                return style;
            }
        }

        return null;
    }

    private int RunEnd(int i)
    {
        while (i < _route.Length && _arrowChars.Contains(_route[i]))
        {
            i++;
        }

        return i;
    }

    private int SkipSpaces(int i)
    {
        while (i < _route.Length && char.IsWhiteSpace(_route[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>Whether position <paramref name="i"/> is outside the route, white space or a separator.</summary>
    private bool Blank(int i) => i < 0 || i >= _route.Length || char.IsWhiteSpace(_route[i]) || _route[i] == ',';

    private static string Stem(ArrowStyle style) => Regex.Escape(style.Stem + style.Stem);

    private static Regex Anchored(string pattern) => new(@"\G" + pattern, RegexOptions.CultureInvariant);
}
