using Synapse.Identity;

namespace Synapse.Flows.Graph;

/// <summary>
/// A decision record encoded at its place in a chain but not signed yet (<see cref="DecisionRecord.Prepare"/>): its
/// <see cref="Hash"/> is final, because the hash covers the encoded fields and not the signature, so a store can
/// chain the next record before this one is signed and sign records on several threads.
/// </summary>
/// <remarks>Immutable and thread-safe. Ed25519 is deterministic: signing twice gives the same record.</remarks>
public sealed class UnsignedDecision
{
    private readonly DecisionBody _body;
    private readonly byte[] _message;

    internal UnsignedDecision(DecisionBody body, byte[] message, DecisionHash hash)
    {
        _body = body;
        _message = message;
        Hash = hash;
    }

    /// <summary>The agent whose chain it is, and who must sign it.</summary>
    public AgentId Agent => _body.Agent;

    /// <summary>The position in the agent's chain.</summary>
    public long Sequence => _body.Sequence;

    /// <summary>The <see cref="DecisionRecord.Hash"/> the record will have once signed.</summary>
    public DecisionHash Hash { get; }

    /// <summary>When the record was appended (whole milliseconds, UTC).</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(_body.TimestampMilliseconds);

    /// <summary>Signs the record with its agent's identity.</summary>
    /// <param name="identity">The identity of <see cref="Agent"/>.</param>
    /// <returns>The signed record.</returns>
    /// <exception cref="ArgumentException"><paramref name="identity"/> is not <see cref="Agent"/>'s.</exception>
    public DecisionRecord Sign(AgentIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.Id != Agent)
        {
            throw new ArgumentException($"The record is {Agent}'s; it cannot be signed by {identity.Id}.", nameof(identity));
        }

        return DecisionRecord.FromEncoded(_body, _message, Hash, identity);
    }

    /// <summary>Shows the agent, sequence and hash.</summary>
    public override string ToString() => $"UnsignedDecision({Agent} #{Sequence} {Hash})";
}
