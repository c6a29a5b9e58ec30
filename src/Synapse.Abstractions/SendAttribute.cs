namespace Synapse;

/// <summary>
/// A flow sender: produces outgoing messages. Without <see cref="OnTriggers"/> or <see cref="OnActions"/> it runs
/// every round (or every <see cref="Every"/> seconds); with them it is reactive and runs when a receiver's event on
/// a route this route accepts carries one of the triggers or actions.
/// </summary>
/// <remarks>
/// The method takes nothing, or the triggering event's data when <see cref="UseData"/>, optionally a
/// <see cref="System.Threading.CancellationToken"/>, and returns the payload (or, with <see cref="Multi"/>, a list of
/// payloads); null sends nothing.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SendAttribute(string route) : Attribute
{
    /// <summary>The route.</summary>
    public string Route { get; } = route;

    /// <summary>Trigger names (from the node's <c>TRIGGERS</c> file, dotted for nested ones) this sender reacts to.</summary>
    public string[] OnTriggers { get; set; } = [];

    /// <summary>The event kinds this sender reacts to.</summary>
    public FlowActions OnActions { get; set; }

    /// <summary>Whether the method returns a list whose items are sent one by one.</summary>
    public bool Multi { get; set; }

    /// <summary>Whether the method takes the triggering event's data (one call per matching event).</summary>
    public bool UseData { get; set; }

    /// <summary>Seconds between runs of a timed sender (0 for untimed).</summary>
    public double Every { get; set; }

    /// <summary>The name of a <c>bool</c> property or parameterless method of the node that must be true for a timed sender to run.</summary>
    public string? RunWhile { get; set; }
}

/// <summary>Kinds of flow events a reactive sender can wait for.</summary>
[Flags]
public enum FlowActions
{
    /// <summary>None (the sender is not filtered by action).</summary>
    None = 0,

    /// <summary>A <c>Move</c>: the agent left a state for another.</summary>
    Move = 1,

    /// <summary>A <c>Stay</c>: the agent stayed where it was.</summary>
    Stay = 2,

    /// <summary>A <c>Test</c>: a probe that changes nothing.</summary>
    Test = 4,
}
