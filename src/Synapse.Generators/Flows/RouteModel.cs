using System;
using System.Linq;
using Synapse.Generators.Common;

namespace Synapse.Generators.Flows;

/// <summary>What a route node is (mirrors the runtime's <c>StateNodeKind</c>).</summary>
internal enum RouteNodeKind
{
    Plain,
    All,
    Not,
    OneOf,
}

/// <summary>
/// One node of a parsed route: a state name or a gate, with where its token starts in the route string and how long
/// it is (for diagnostics).
/// </summary>
internal sealed record RouteNode(RouteNodeKind Kind, string Name, EquatableArray<string> Names, int Offset, int Length)
{
    /// <summary>The canonical text: <c>name</c>, <c>/all</c>, <c>/not(a,b)</c>, <c>/oneof(a,b)</c>.</summary>
    public override string ToString() => Kind switch
    {
        RouteNodeKind.Plain => Name,
        RouteNodeKind.All => "/all",
        RouteNodeKind.Not => "/not(" + string.Join(",", Names) + ")",
        _ => "/oneof(" + string.Join(",", Names) + ")",
    };

    /// <summary>The canonical text with a gate's names sorted and without repeats (<c>/oneof(b,a,b)</c> is <c>/oneof(a,b)</c>).</summary>
    public string Normalized => Kind is RouteNodeKind.Not or RouteNodeKind.OneOf
        ? (Kind == RouteNodeKind.Not ? "/not(" : "/oneof(") + string.Join(",", Names.Distinct().OrderBy(n => n, StringComparer.Ordinal)) + ")"
        : ToString();

    /// <summary>Summoner's <c>Node.accepts(gate, state)</c>, with this node as the gate.</summary>
    public bool Accepts(RouteNode state)
    {
        if (Kind == RouteNodeKind.All || state.Kind == RouteNodeKind.All)
        {
            return true;
        }

        return (Kind, state.Kind) switch
        {
            (RouteNodeKind.Plain, RouteNodeKind.Plain) => Name == state.Name,
            (RouteNodeKind.Plain, RouteNodeKind.Not) => !state.Names.Contains(Name),
            (RouteNodeKind.Plain, RouteNodeKind.OneOf) => state.Names.Contains(Name),
            (RouteNodeKind.Not, RouteNodeKind.Plain) => !Names.Contains(state.Name),
            (RouteNodeKind.Not, _) => true,
            (RouteNodeKind.OneOf, RouteNodeKind.Plain) => Names.Contains(state.Name),
            (RouteNodeKind.OneOf, RouteNodeKind.Not) => Names.Any(name => !state.Names.Contains(name)),
            (RouteNodeKind.OneOf, RouteNodeKind.OneOf) => Names.Any(name => state.Names.Contains(name)),
            _ => false,
        };
    }
}

/// <summary>A route parsed at compile time: an arrow or a list of objects (kept in <see cref="Sources"/>).</summary>
internal sealed record ParsedRoute(bool IsArrow, EquatableArray<RouteNode> Sources, EquatableArray<RouteNode> Labels, EquatableArray<RouteNode> Targets)
{
    /// <summary>An arrow with no source (<c>--&gt; start</c>).</summary>
    public bool IsInitial => IsArrow && Sources.IsEmpty;

    /// <summary>The canonical text as Summoner writes it: <c>a--[f]--&gt;b</c> or <c>a,b</c>.</summary>
    public string Canonical => IsArrow
        ? Join(Sources) + "--[" + Join(Labels) + "]-->" + Join(Targets)
        : Join(Sources);

    /// <summary>
    /// The route as the runtime dispatches it, in canonical form: each part is a set of nodes (sorted, without repeats)
    /// and a gate's names are a set, so <c>b, a --&gt; c</c> and <c>a,b--&gt;c,c</c> are both <c>a,b--[]--&gt;c</c>.
    /// Two receivers with the same normalised route fire on the same states and reach the same states.
    /// </summary>
    public string Normalized => IsArrow
        ? NormalizedSet(Sources) + "--[" + NormalizedSet(Labels) + "]-->" + NormalizedSet(Targets)
        : NormalizedSet(Sources);

    /// <summary>The runtime's <c>FlowRoute.Accepts</c>: every node of each part accepts some node of the same part of <paramref name="eventRoute"/>.</summary>
    public bool Accepts(ParsedRoute eventRoute) =>
        PartAccepts(Sources, eventRoute.Sources) && PartAccepts(Labels, eventRoute.Labels) && PartAccepts(Targets, eventRoute.Targets);

    private static bool PartAccepts(EquatableArray<RouteNode> gates, EquatableArray<RouteNode> states) =>
        gates.All(gate => states.Any(gate.Accepts));

    private static string Join(EquatableArray<RouteNode> nodes) => string.Join(",", nodes.Select(n => n.ToString()));

    private static string NormalizedSet(EquatableArray<RouteNode> nodes) =>
        string.Join(",", nodes.Select(n => n.Normalized).Distinct().OrderBy(n => n, StringComparer.Ordinal));
}

/// <summary>
/// Why a route is rejected: what is wrong (<see cref="Problem"/>), how to write it instead (<see cref="Fix"/>, the
/// object of "write …", such as <c>'--&gt;' (as in 'ready --&gt; done')</c>), and the offending text
/// (<see cref="Offset"/> and <see cref="Length"/> in the route string).
/// </summary>
internal sealed record RouteError(string Problem, string Fix, int Offset, int Length);

/// <summary>The result of parsing a route: the route, or why it is rejected.</summary>
internal sealed record RouteParseResult(ParsedRoute? Route, RouteError? Failure)
{
    /// <summary>What is wrong, or null when the route parsed.</summary>
    public string? Error => Failure?.Problem;

    /// <summary>How to write the route instead, or null when the route parsed.</summary>
    public string? Fix => Failure?.Fix;

    /// <summary>Where the offending text starts in the route string.</summary>
    public int ErrorOffset => Failure?.Offset ?? 0;

    /// <summary>How long the offending text is (at least one character).</summary>
    public int ErrorLength => Failure?.Length ?? 0;

    public static RouteParseResult Ok(ParsedRoute route) => new(route, null);

    public static RouteParseResult Fail(RouteError error) => new(null, error);
}
