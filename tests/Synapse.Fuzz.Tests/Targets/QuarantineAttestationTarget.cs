using Synapse.Fuzz.Tests.Engine;
using Synapse.Reputation;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>Reading one relay attestation: <see cref="QuarantineAttestation.Decode"/>, then its signature check.</summary>
public sealed class QuarantineAttestationTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "quarantine-attestation";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds() => [ReputationEvidence.Quarantine().Encoded.ToArray()];

    /// <inheritdoc />
    public override void Run(byte[] input) => QuarantineAttestation.Decode(input).VerifySignature();

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is ReputationException;
}
