using Synapse.Envelopes;
using Synapse.Fuzz.Tests.Engine;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>Reading a published encryption key certificate: <see cref="EncryptionKeyCertificate.Decode"/> (verifies it).</summary>
public sealed class KeyCertificateTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "key-certificate";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        yield return Fixtures.BobKey.Certificate.Encode();
        using var topic = EncryptionKeyPair.GenerateForTopic(Fixtures.Relay, "ops-room", TimeSpan.FromDays(1));
        yield return topic.Certificate.Encode();
    }

    /// <inheritdoc />
    public override void Run(byte[] input) => EncryptionKeyCertificate.Decode(input);

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is EnvelopeException;
}
