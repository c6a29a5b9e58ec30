using Synapse.Fuzz.Tests.Engine;
using Synapse.Reputation;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>An agent reading the evidence a peer returned about a subject: <see cref="EvidenceSet.Decode"/>.</summary>
public sealed class EvidenceSetTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "evidence-set";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        yield return ReputationEvidence.Set().Encode();
        yield return new EvidenceSet().Encode();
    }

    /// <inheritdoc />
    public override void Run(byte[] input) => EvidenceSet.Decode(input);

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is ReputationException;
}
