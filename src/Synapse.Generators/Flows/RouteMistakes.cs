using System.Collections.Generic;
using System.Linq;

namespace Synapse.Generators.Flows;

/// <summary>
/// Names the common mistakes in a route that <see cref="RouteParser"/> rejected: arrows that are not arrows
/// (<c>-&gt;</c>, <c>=&gt;</c>, <c>&gt;</c>, <c>--</c>), reversed arrows (<c>&lt;-</c>, <c>&lt;--</c>), a label whose
/// <c>[</c> or <c>]</c> is missing or misplaced, more than one arrow, and an arrow without states. Each finding says
/// how to write the route instead and covers the offending text. Null when the route has none of these (the error of
/// the first invalid item then stands). Text inside parentheses belongs to a gate and is left to the item parser.
/// </summary>
internal static class RouteMistakes
{
    public static RouteError? Find(string route, IReadOnlyList<ArrowStyle> styles)
    {
        var pieces = new RouteLexer(route, styles).Run();
        RoutePiece? open = null;
        var arrows = new List<(int Start, int End)>();
        foreach (var piece in pieces)
        {
            switch (piece.Kind)
            {
                case RoutePieceKind.Bad:
                    return BadArrow(route, piece, open);
                case RoutePieceKind.Bracket:
                    return StrayBracket(route, piece, open);
                case RoutePieceKind.Open when open is not null:
                    return Unclosed(route, open, piece, pieces);
                case RoutePieceKind.Open:
                    open = piece;
                    break;
                case RoutePieceKind.Close when open is null:
                    return Unopened(route, piece);
                case RoutePieceKind.Close:
                    arrows.Add((open.Start, piece.End));
                    open = null;
                    break;
                default:
                    if (open is not null)
                    {
                        return Unclosed(route, open, piece, pieces);
                    }

                    arrows.Add((piece.Start, piece.End));
                    break;
            }
        }

        if (open is not null)
        {
            return Unclosed(route, open, null, pieces);
        }

        if (arrows.Count > 1)
        {
            return Multiple(route, arrows, styles);
        }

        if (arrows.Count == 1 && Blank(route, 0, arrows[0].Start, styles) && Blank(route, arrows[0].End, route.Length, styles))
        {
            return NoStates(route, arrows[0]);
        }

        return null;
    }

    private static RouteError BadArrow(string route, RoutePiece piece, RoutePiece? open)
    {
        var text = route.Substring(piece.Start, piece.Length);
        var left = route.Substring(0, piece.Start);
        var right = route.Substring(piece.End);
        switch (piece.Shape)
        {
            case RoutePieceKind.Close:
            {
                var close = CloseText(open?.Style ?? piece.Style);
                return new RouteError(
                    "'" + text + "' is not the end of a label",
                    "'" + close + "' (as in '" + (left + close + " " + right.TrimStart()).Trim() + "')",
                    piece.Start,
                    piece.Length);
            }

            case RoutePieceKind.Open:
            {
                var opener = OpenText(piece.Style);
                return new RouteError(
                    "'" + text + "' does not open a label",
                    "'" + opener + "' (as in '" + (left.TrimEnd() + " " + opener + right).Trim() + "')",
                    piece.Start,
                    piece.Length);
            }
        }

        var arrow = ArrowText(ArrowStyle.Default);
        if (text[0] is '<' or '←' or '⇐')
        {
            var from = right.Trim();
            var to = left.Trim();
            var example = from.Length > 0 && to.Length > 0 && !HasArrowText(from) && !HasArrowText(to) ? from + " " + arrow + " " + to : "ready --> done";
            return new RouteError(
                "'" + text + "' points backwards, but a route goes from its sources to its targets",
                "'" + arrow + "' with the sources first (as in '" + example + "')",
                piece.Start,
                piece.Length);
        }

        return new RouteError("'" + text + "' is not an arrow", "'" + arrow + "' (as in '" + Join(left, arrow, right) + "')", piece.Start, piece.Length);
    }

    private static RouteError StrayBracket(string route, RoutePiece piece, RoutePiece? open)
    {
        var text = route.Substring(piece.Start, piece.Length);
        var left = route.Substring(0, piece.Start);
        var right = route.Substring(piece.End);
        var column = RouteTokens.Column(piece.Start);
        if (piece.Shape == RoutePieceKind.Open)
        {
            var stem = piece.Style.Stem + piece.Style.Stem;
            return new RouteError(
                "'" + text + "' at column " + column + " does not follow '" + stem + "', so it opens no label",
                "'" + OpenText(piece.Style) + "' (as in '" + (left.TrimEnd() + " " + stem + route.Substring(piece.Start)).Trim() + "')",
                piece.Start,
                piece.Length);
        }

        if (open is not null)
        {
            var close = CloseText(open.Style);
            return new RouteError(
                "the '" + text + "' at column " + column + " ends the label but no '" + ArrowText(open.Style) + "' follows it",
                "'" + close + "' (as in '" + (left + close + " " + right.TrimStart()).Trim() + "')",
                piece.Start,
                piece.Length);
        }

        return new RouteError(
            "unexpected '" + text + "' at column " + column + ": no '" + OpenText(piece.Style) + "' opens a label before it",
            "the route without it (as in '" + (left.TrimEnd() + " " + right.TrimStart()).Trim() + "'), or a whole label (as in 'a --[ f ]--> b')",
            piece.Start,
            piece.Length);
    }

    private static RouteError Unclosed(string route, RoutePiece open, RoutePiece? next, List<RoutePiece> pieces)
    {
        var opener = route.Substring(open.Start, open.Length);
        var right = open.Style.Right;
        if (next is not null && pieces.Any(p => p.Kind == RoutePieceKind.Close && p.Start > next.Start))
        {
            return new RouteError(
                "the label after '" + opener + "' contains the arrow '" + route.Substring(next.Start, next.Length) + "' at column " + RouteTokens.Column(next.Start),
                "a label of states only, and one route per arrow (as in 'a --[ f ]--> b')",
                next.Start,
                next.Length);
        }

        var problem = "the label opened by '" + opener + "' at column " + RouteTokens.Column(open.Start) + " is missing its '" + right + "'";
        var fix = next is { Kind: RoutePieceKind.Arrow }
            ? "'" + right + "' before the arrow (as in '" + (route.Substring(0, next.Start).TrimEnd() + " " + right + route.Substring(next.Start)).Trim() + "')"
            : "'" + CloseText(open.Style) + "' after the label, then the target (as in 'a --[ f ]--> b')";
        var bracket = open.End - open.Style.Left.Length;
        return new RouteError(problem, fix, bracket, open.Style.Left.Length);
    }

    private static RouteError Unopened(string route, RoutePiece close)
    {
        var text = route.Substring(close.Start, close.Length);
        var opener = OpenText(close.Style);
        var words = route.Substring(0, close.Start).Split((char[]?)null, System.StringSplitOptions.RemoveEmptyEntries);
        var example = words.Length == 2 && !words.Any(HasArrowText) && words.All(w => w.IndexOf(',') < 0)
            ? words[0] + " " + opener + " " + words[1] + " " + route.Substring(close.Start).Trim()
            : "a --[ f ]--> b";
        return new RouteError(
            "'" + text + "' at column " + RouteTokens.Column(close.Start) + " closes a label that no '" + opener + "' opened",
            "'" + opener + "' before the label (as in '" + example + "')",
            close.Start,
            close.Style.Right.Length);
    }

    private static RouteError Multiple(string route, List<(int Start, int End)> arrows, IReadOnlyList<ArrowStyle> styles)
    {
        var (first, second) = (arrows[0], arrows[1]);
        var thirdStart = arrows.Count > 2 ? arrows[2].Start : route.Length;
        var before = route.Substring(0, first.Start);
        var between = route.Substring(first.End, second.Start - first.End);
        var after = route.Substring(second.End, thirdStart - second.End);
        var firstArrow = route.Substring(first.Start, first.End - first.Start);
        var secondArrow = route.Substring(second.Start, second.End - second.Start);
        var where = "'" + secondArrow + "' at column " + RouteTokens.Column(second.Start);
        if (Blank(route, second.End, thirdStart, styles))
        {
            return new RouteError(
                "a route has one arrow, and the second one, " + where + ", has no target",
                "one route per arrow, each with its target (as in '" + Join(before, firstArrow, between) + "')",
                second.Start,
                second.End - second.Start);
        }

        var follows = between.Trim().Length == 0 ? "right after the first" : "after '" + between.Trim() + "'";
        return new RouteError(
            "a route has one arrow, but a second one, " + where + ", comes " + follows,
            "one route per arrow (as in '" + Join(before, firstArrow, between) + "' and '" + Join(between, secondArrow, after) + "')",
            second.Start,
            second.End - second.Start);
    }

    private static RouteError NoStates(string route, (int Start, int End) arrow)
    {
        var text = route.Substring(arrow.Start, arrow.End - arrow.Start);
        return new RouteError(
            "the arrow '" + text + "' has no source and no target",
            "a target after it (as in '" + text + " start'), and a source before it to leave a state (as in 'ready " + text + " start')",
            arrow.Start,
            arrow.End - arrow.Start);
    }

    /// <summary><paramref name="left"/>, the arrow and <paramref name="right"/>, trimmed and one space apart.</summary>
    private static string Join(string left, string arrow, string right) =>
        string.Join(" ", new[] { left.Trim(), arrow.Trim(), right.Trim() }.Where(s => s.Length > 0));

    private static bool Blank(string route, int start, int end, IReadOnlyList<ArrowStyle> styles)
    {
        var text = route.Substring(start, end - start);
        foreach (var style in styles)
        {
            text = text.Replace(style.Separator, " ");
        }

        return text.Trim().Length == 0;
    }

    private static bool HasArrowText(string text) => text.IndexOfAny(RouteLexer.CommonArrowChars.Concat(new[] { '[', ']' }).ToArray()) >= 0;

    private static string ArrowText(ArrowStyle style) => style.Stem + style.Stem + style.Tip;

    private static string OpenText(ArrowStyle style) => style.Stem + style.Stem + style.Left;

    private static string CloseText(ArrowStyle style) => style.Right + style.Stem + style.Stem + style.Tip;
}
