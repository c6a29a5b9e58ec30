using System.Text;

namespace Synapse.Flows.Graph;

/// <summary>
/// Records a flow's transitions in a <see cref="DecisionGraph"/>: set it as <see cref="FlowRunnerOptions.Recorder"/>.
/// Each transition becomes one record; <see cref="LatestHash"/> is what the flow attaches to the messages it sends,
/// so receivers' records link to this graph.
/// </summary>
/// <remarks>
/// <para>The flow does not wait for the disk: <see cref="RecordAsync"/> completes once the record has its place in the
/// chain (<see cref="DecisionGraph.EnqueueAsync"/>), in the order the flow recorded its transitions, and the graph
/// commits it with others, one fsync per batch. It waits only when the graph's
/// <see cref="DecisionGraphOptions.MaxPendingRecords"/> records are waiting for the disk (backpressure), and it
/// throws once a commit has failed. <see cref="FlushAsync"/> waits until every transition recorded so far is
/// durable (before acknowledging work to someone else, say); <see cref="DecisionGraph.Latest"/> is the newest
/// durable record.</para>
/// <para>A transition maps to a draft as follows: the route's canonical text; states as their canonical text,
/// prefixed with <c>key:</c> for keyed tapes; the trigger's qualified name; the action in lowercase; the SHA-256 of
/// the event's data when it is a <c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/> of bytes or a string (UTF-8), and no
/// digest otherwise; the message id; and the sender's record hash when the message carried a 32-byte one.
/// The graph stays the caller's (not disposed here).</para>
/// </remarks>
/// <param name="graph">The agent's graph.</param>
public sealed class DecisionGraphRecorder(DecisionGraph graph) : IFlowRecorder
{
    private readonly DecisionGraph _graph = graph ?? throw new ArgumentNullException(nameof(graph));

    /// <summary>The graph the transitions go to.</summary>
    public DecisionGraph Graph => _graph;

    /// <summary>The hash of the newest record, committed or waiting for its commit (<see cref="DecisionGraph.LatestHash"/>).</summary>
    public ReadOnlyMemory<byte> LatestHash => _graph.LatestHash?.AsMemory() ?? default;

    /// <summary>Places the transition's record in the graph's chain; the graph commits it shortly after.</summary>
    /// <param name="transition">The transition.</param>
    /// <param name="cancellationToken">Cancels the wait for room when the graph's queue is full.</param>
    /// <returns>A task that completes once the record has its place in the chain (not once it is on disk).</returns>
    /// <exception cref="DecisionGraphException">An earlier commit failed: the graph accepts no more records.</exception>
    public ValueTask RecordAsync(FlowTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        cancellationToken.ThrowIfCancellationRequested();
        ValueTask<DecisionAppend> append = _graph.EnqueueAsync(ToDraft(transition), cancellationToken);
        return append.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(append.AsTask());
    }

    /// <summary>Completes when every transition recorded so far is durable.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that faults when a commit failed.</returns>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _graph.FlushAsync(cancellationToken);

    /// <summary>The draft a transition is recorded as.</summary>
    /// <param name="transition">The transition.</param>
    /// <returns>The draft.</returns>
    public static DecisionDraft ToDraft(FlowTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        var message = transition.Message;
        return new DecisionDraft
        {
            Route = transition.Route.Canonical,
            StatesBefore = [.. transition.StatesBefore.Select(state => Describe(transition.Key, state))],
            StatesAfter = [.. transition.StatesAfter.Select(state => Describe(transition.Key, state))],
            Trigger = transition.Event.Trigger.QualifiedName,
            Action = transition.Event.Action switch
            {
                FlowActions.Move => DecisionActions.Move,
                FlowActions.Stay => DecisionActions.Stay,
                FlowActions.Test => DecisionActions.Test,
                _ => DecisionActions.None,
            },
            Data = transition.Event.Data switch
            {
                byte[] bytes => bytes,
                ReadOnlyMemory<byte> memory => memory,
                string text => Encoding.UTF8.GetBytes(text),
                _ => (ReadOnlyMemory<byte>?)null,
            },
            CauseMessageId = message?.MessageId,
            CauseHash = message?.SenderRecordHash.Length == DecisionHash.Size ? DecisionHash.FromBytes(message.SenderRecordHash.Span) : null,
        };
    }

    private static string Describe(string? key, StateNode state) => key is null ? state.ToString() : $"{key}:{state}";
}
