using System.Text;

namespace Synapse.Flows.Graph;

/// <summary>
/// Records a flow's transitions in a <see cref="DecisionGraph"/>: set it as <see cref="FlowRunnerOptions.Recorder"/>.
/// Each transition becomes one durable record; <see cref="LatestHash"/> is what the flow attaches to the messages it
/// sends, so receivers' records link to this graph.
/// </summary>
/// <remarks>
/// A transition maps to a draft as follows: the route's canonical text; states as their canonical text, prefixed
/// with <c>key:</c> for keyed tapes; the trigger's qualified name; the action in lowercase; the SHA-256 of the
/// event's data when it is a <c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/> of bytes or a string (UTF-8), and no
/// digest otherwise; the message id; and the sender's record hash when the message carried a 32-byte one.
/// The graph stays the caller's (not disposed here).
/// </remarks>
/// <param name="graph">The agent's graph.</param>
public sealed class DecisionGraphRecorder(DecisionGraph graph) : IFlowRecorder
{
    private readonly DecisionGraph _graph = graph ?? throw new ArgumentNullException(nameof(graph));

    /// <summary>The graph the transitions go to.</summary>
    public DecisionGraph Graph => _graph;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> LatestHash => _graph.LatestHash?.AsMemory() ?? default;

    /// <summary>Appends the transition to the graph; returns once the record is on disk.</summary>
    /// <param name="transition">The transition.</param>
    /// <param name="cancellationToken">Checked before appending.</param>
    /// <returns>A completed task.</returns>
    public ValueTask RecordAsync(FlowTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        cancellationToken.ThrowIfCancellationRequested();
        _graph.Append(ToDraft(transition));
        return ValueTask.CompletedTask;
    }

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
