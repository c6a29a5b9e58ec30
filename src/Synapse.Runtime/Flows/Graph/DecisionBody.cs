using Synapse.Identity;

namespace Synapse.Flows.Graph;

/// <summary>Every field of a decision record except the signature: what is encoded, hashed and signed.</summary>
internal sealed class DecisionBody
{
    public required AgentId Agent { get; init; }

    public required long Sequence { get; init; }

    public required DecisionHash Previous { get; init; }

    /// <summary>Unix milliseconds.</summary>
    public required long TimestampMilliseconds { get; init; }

    public required string Route { get; init; }

    public required string[] StatesBefore { get; init; }

    public required string[] StatesAfter { get; init; }

    public required string? Trigger { get; init; }

    public required string Action { get; init; }

    /// <summary>32 bytes, or empty when no data was recorded.</summary>
    public required byte[] DataDigest { get; init; }

    public required Guid? CauseMessageId { get; init; }

    public required DecisionHash? CauseHash { get; init; }

    public required DecisionHash[] PeerRefs { get; init; }
}
