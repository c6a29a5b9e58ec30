using Synapse.Envelopes;
using Synapse.Fuzz.Tests.Engine;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>A relay or recipient reading an envelope: <see cref="SealedEnvelope.Decode"/>, then its signature check.</summary>
public sealed class SealedEnvelopeTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "sealed-envelope";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        var certificate = Fixtures.BobKey.Certificate;
        yield return EnvelopeSealer.Seal(Fixtures.Alice, certificate, "meet at the relay"u8).Encode();
        yield return EnvelopeSealer.Seal(Fixtures.Alice, certificate, new byte[600]).Encode();
        yield return EnvelopeSealer.Seal(Fixtures.Alice, certificate, []).Encode();
    }

    /// <inheritdoc />
    public override void Run(byte[] input) => SealedEnvelope.Decode(input).VerifySignature();

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is EnvelopeException;
}
