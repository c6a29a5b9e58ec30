namespace Synapse.Flows.Graph;

/// <summary>
/// One transition of a flow, as the flow engine hands it to <c>DecisionGraph.Append</c> (package Synapse.Storage.Sqlite). The graph adds the
/// agent, the sequence number, the previous record's hash, the timestamp and the signature.
/// </summary>
public sealed class DecisionDraft
{
    /// <summary>The route the receiver is registered on, in its canonical text.</summary>
    public required string Route { get; init; }

    /// <summary>The states before the transition; for keyed tapes, <c>"key:state"</c> strings.</summary>
    public IReadOnlyList<string> StatesBefore { get; init; } = [];

    /// <summary>The states after the transition; for keyed tapes, <c>"key:state"</c> strings.</summary>
    public IReadOnlyList<string> StatesAfter { get; init; } = [];

    /// <summary>The trigger the receiver returned (e.g. <c>"ok.match"</c>), or null.</summary>
    public string? Trigger { get; init; }

    /// <summary>What the receiver did: one of <see cref="DecisionActions"/>.</summary>
    public required string Action { get; init; }

    /// <summary>The data the receiver acted on; the record keeps its SHA-256, not the data. Null records no digest.</summary>
    public ReadOnlyMemory<byte>? Data { get; init; }

    /// <summary>The id of the message that caused the transition, or null.</summary>
    public Guid? CauseMessageId { get; init; }

    /// <summary>The sender's latest record hash carried by the causing message, or null.</summary>
    public DecisionHash? CauseHash { get; init; }

    /// <summary>Hashes of peer records this decision depends on.</summary>
    public IReadOnlyList<DecisionHash> PeerRefs { get; init; } = [];
}
