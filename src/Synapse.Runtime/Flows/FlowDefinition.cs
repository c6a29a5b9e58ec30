namespace Synapse.Flows;

/// <summary>
/// A node whose flow the generator compiled: its receivers, senders and hooks with their routes parsed at compile
/// time. Implemented by generated code on <c>[AgentNode]</c> classes that declare <c>[Receive]</c>/<c>[Send]</c>.
/// </summary>
/// <typeparam name="TSelf">The node type.</typeparam>
public interface IFlowNode<TSelf>
    where TSelf : IFlowNode<TSelf>
{
    /// <summary>The node's compiled flow.</summary>
    static abstract FlowDefinition<TSelf> Flow { get; }
}

/// <summary>The compiled flow of a node type.</summary>
/// <typeparam name="TAgent">The node type.</typeparam>
public sealed class FlowDefinition<TAgent>
{
    /// <summary>The receivers.</summary>
    public required IReadOnlyList<FlowReceiver<TAgent>> Receivers { get; init; }

    /// <summary>The senders.</summary>
    public required IReadOnlyList<FlowSender<TAgent>> Senders { get; init; }

    /// <summary>The hooks, both directions, in ascending priority.</summary>
    public IReadOnlyList<FlowHook<TAgent>> Hooks { get; init; } = [];

    /// <summary>The <c>[UploadStates]</c> method: payload → states (a state name, a list, or a dictionary of them).</summary>
    public Func<TAgent, object?, CancellationToken, ValueTask<object?>>? UploadStates { get; init; }

    /// <summary>The <c>[DownloadStates]</c> method: receives the states reached after each batch.</summary>
    public Func<TAgent, StateTape, CancellationToken, ValueTask>? DownloadStates { get; init; }
}

/// <summary>A <c>[Receive]</c> method.</summary>
/// <param name="Name">The method's name (for logs and records).</param>
/// <param name="Route">The parsed route.</param>
/// <param name="Priority">Its batch (compared element by element; shorter first when equal).</param>
/// <param name="Invoke">Calls the method with the payload.</param>
public sealed record FlowReceiver<TAgent>(
    string Name,
    FlowRoute Route,
    int[] Priority,
    Func<TAgent, object?, CancellationToken, ValueTask<FlowEvent?>> Invoke);

/// <summary>A <c>[Send]</c> method.</summary>
/// <param name="Name">The method's name.</param>
/// <param name="Route">The parsed route.</param>
/// <param name="OnTriggers">The triggers it reacts to (exact match).</param>
/// <param name="OnActions">The event kinds it reacts to.</param>
/// <param name="Multi">Whether its result is a list of payloads.</param>
/// <param name="UseData">Whether it takes the triggering event's data.</param>
/// <param name="Every">The period of a timed sender.</param>
/// <param name="RunWhile">A condition for a timed sender.</param>
/// <param name="Invoke">Calls the method (with the event's data when <paramref name="UseData"/>).</param>
public sealed record FlowSender<TAgent>(
    string Name,
    FlowRoute Route,
    IReadOnlyList<Signal> OnTriggers,
    FlowActions OnActions,
    bool Multi,
    bool UseData,
    TimeSpan? Every,
    Func<TAgent, bool>? RunWhile,
    Func<TAgent, object?, CancellationToken, ValueTask<object?>> Invoke)
{
    /// <summary>Whether it runs only in reaction to events.</summary>
    public bool IsReactive => OnTriggers.Count > 0 || OnActions != FlowActions.None;
}

/// <summary>A <c>[Hook]</c> method.</summary>
/// <param name="Direction">Which messages it sees.</param>
/// <param name="Priority">Its order.</param>
/// <param name="Invoke">Calls it: the payload in, the payload (or null to drop it) out.</param>
public sealed record FlowHook<TAgent>(
    HookDirection Direction,
    int[] Priority,
    Func<TAgent, object?, CancellationToken, ValueTask<object?>> Invoke);
