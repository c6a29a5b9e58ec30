using Synapse.Crypto.Noise;
using Synapse.Fuzz.Tests.Engine;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>
/// A responder reading the third handshake message, whose encrypted payload is the initiator's identity. Mutating the
/// ciphertext only exercises the AEAD check, so the input is the payload: a real initiator encrypts it into message 3
/// and the responder (<see cref="NoiseXXHandshake.ReadMessage"/>) decrypts and decodes it.
/// </summary>
public sealed class NoiseThirdMessageTarget : FuzzTarget
{
    private NoiseStaticCredential? _responder;
    private NoiseStaticCredential? _initiator;

    /// <inheritdoc />
    public override string Name => "noise-third";

    /// <summary>Two handshakes' worth of keys and messages per input.</summary>
    public override long AllocationFixed => 256 * 1024;

    /// <inheritdoc />
    public override void Prepare()
    {
        _responder ??= NoiseStaticCredential.Create(Fixtures.Bob);
        _initiator ??= NoiseStaticCredential.Create(Fixtures.Alice);
    }

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        Prepare();
        yield return _initiator!.Payload;
    }

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        if (input.Length > NoiseHandshakeState.MaxMessageLength - 100)
        {
            return;
        }

        using var responder = NoiseXXHandshake.CreateResponder(_responder!);
        using var initiator = new NoiseHandshakeState(NoiseProtocol.XX, true, default, _initiator!.PrivateKey);
        responder.ReadMessage(initiator.WriteMessage([]));
        initiator.ReadMessage(responder.WriteMessage());
        responder.ReadMessage(initiator.WriteMessage(input));
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is NoiseException;
}
