namespace Synapse.Flows;

/// <summary>One transition a flow made: a receiver's event on a message, with the states before and after.</summary>
/// <param name="Receiver">The receiver's method name.</param>
/// <param name="Route">The receiver's route.</param>
/// <param name="Key">The tape key it fired for (null for unkeyed states).</param>
/// <param name="StatesBefore">The state it fired on (empty for initial and state-less activations).</param>
/// <param name="StatesAfter">The states the event reached.</param>
/// <param name="Event">The event.</param>
/// <param name="Message">What caused it (the received message, as the transport describes it).</param>
public sealed record FlowTransition(
    string Receiver,
    FlowRoute Route,
    string? Key,
    IReadOnlyList<StateNode> StatesBefore,
    IReadOnlyList<StateNode> StatesAfter,
    FlowEvent Event,
    FlowMessageContext? Message);

/// <summary>What a transport knows of a received message, handed to recorders.</summary>
/// <param name="MessageId">The message's id, when the transport has one.</param>
/// <param name="Sender">Who sent it, as the transport identifies senders.</param>
/// <param name="SenderRecordHash">The hash of the sender's latest decision record, when the message carried it.</param>
public sealed record FlowMessageContext(Guid? MessageId, string? Sender, ReadOnlyMemory<byte> SenderRecordHash);

/// <summary>Records transitions (the decision graph implements it); called before the batch's states are downloaded.</summary>
public interface IFlowRecorder
{
    /// <summary>The hash of the latest record (empty before the first), attached to outgoing messages so graphs link.</summary>
    ReadOnlyMemory<byte> LatestHash { get; }

    /// <summary>
    /// Records one transition; the flow waits for the returned task before it goes on. A recorder may complete it
    /// once the record's place is fixed (the order of the flow's transitions) and make it durable later, as the
    /// decision graph does with group commit; its <see cref="LatestHash"/> then already names the new record.
    /// </summary>
    ValueTask RecordAsync(FlowTransition transition, CancellationToken cancellationToken);
}

/// <summary>Options of a <see cref="FlowRunner{TAgent}"/>.</summary>
public sealed class FlowRunnerOptions
{
    /// <summary>How long a round of untimed senders waits for new events before running the non-reactive ones again.</summary>
    public TimeSpan RoundInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The most receiver events waiting for senders; beyond it handling a message waits until the senders
    /// (<see cref="FlowRunner{TAgent}.RunAsync"/>) catch up. A flow without senders keeps no events.
    /// </summary>
    public int EventBridgeCapacity { get; init; } = 1000;

    /// <summary>
    /// States the runner keeps itself, for a node without <c>[UploadStates]</c>: messages run on them and batches
    /// update them. Ignored when the node uploads its own states.
    /// </summary>
    public FlowStates? States { get; init; }

    /// <summary>Where transitions are recorded (the decision graph), if anywhere.</summary>
    public IFlowRecorder? Recorder { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
