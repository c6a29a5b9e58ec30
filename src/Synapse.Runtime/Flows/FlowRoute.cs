namespace Synapse.Flows;

/// <summary>
/// A parsed route: an arrow (<c>sources --[ labels ]--&gt; targets</c>, any part possibly empty) or a list of
/// objects (<c>a, b</c>). Built by generated code from routes parsed at compile time.
/// </summary>
public sealed class FlowRoute
{
    private FlowRoute(bool isArrow, StateNode[] sources, StateNode[] labels, StateNode[] targets)
    {
        IsArrow = isArrow;
        Sources = sources;
        Labels = labels;
        Targets = targets;
        Canonical = isArrow
            ? $"{Join(sources)}--[{Join(labels)}]-->{Join(targets)}"
            : Join(sources);
    }

    /// <summary>Whether this is an arrow (it has a target or a label) rather than a list of objects.</summary>
    public bool IsArrow { get; }

    /// <summary>An arrow with no source (<c>--&gt; start</c>): fires once per message whatever the states.</summary>
    public bool IsInitial => IsArrow && Sources.Count == 0;

    /// <summary>The gates an arrow leaves from, or the objects of an object route.</summary>
    public IReadOnlyList<StateNode> Sources { get; }

    /// <summary>An arrow's labels.</summary>
    public IReadOnlyList<StateNode> Labels { get; }

    /// <summary>An arrow's targets.</summary>
    public IReadOnlyList<StateNode> Targets { get; }

    /// <summary>The canonical text, as Summoner writes it: <c>a--[f]--&gt;b</c> or <c>a,b</c>.</summary>
    public string Canonical { get; }

    /// <summary>An arrow route.</summary>
    public static FlowRoute Arrow(StateNode[] sources, StateNode[] labels, StateNode[] targets)
    {
        if (labels.Length == 0 && targets.Length == 0)
        {
            return Objects(sources); // "a -->" degenerates to the object "a", as in Summoner
        }

        return new FlowRoute(true, sources, labels, targets);
    }

    /// <summary>An object route.</summary>
    public static FlowRoute Objects(params StateNode[] objects) => new(false, objects, [], []);

    /// <summary>
    /// Whether a sender on this route reacts to an event on <paramref name="eventRoute"/>: each of this route's nodes
    /// must accept some node of the same part of the event's route (an empty part accepts anything).
    /// </summary>
    public bool Accepts(FlowRoute eventRoute)
    {
        ArgumentNullException.ThrowIfNull(eventRoute);
        return PartAccepts(Sources, eventRoute.Sources) && PartAccepts(Labels, eventRoute.Labels) && PartAccepts(Targets, eventRoute.Targets);
    }

    /// <inheritdoc />
    public override string ToString() => Canonical;

    private static bool PartAccepts(IReadOnlyList<StateNode> gates, IReadOnlyList<StateNode> states) =>
        gates.All(gate => states.Any(gate.Accepts));

    private static string Join(StateNode[] nodes) => string.Join(',', nodes.Select(node => node.ToString()));
}
