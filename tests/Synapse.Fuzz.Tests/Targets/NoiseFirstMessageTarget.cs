using System.Buffers.Binary;
using Synapse.Crypto.Noise;
using Synapse.Fuzz.Tests.Engine;
using Synapse.Transport.Secure;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>
/// A relay or host answering a new connection: <see cref="SecureLink.AcceptAsync"/> reading the initiator's first
/// frame (the input, framed) from a peer that then closes. An
/// input counts as decoded when the responder answered it.
/// </summary>
public sealed class NoiseFirstMessageTarget : FuzzTarget
{
    private NoiseStaticCredential? _credential;

    /// <inheritdoc />
    public override string Name => "noise-first";

    /// <summary>Pipes, key agreement and the reply: a fixed cost well above the input's.</summary>
    public override long AllocationFixed => 256 * 1024;

    /// <inheritdoc />
    public override void Prepare() => _credential ??= NoiseStaticCredential.Create(Fixtures.Bob);

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        using var initiator = NoiseXXHandshake.CreateInitiator(Fixtures.Alice, "synapse-noise/1"u8);
        yield return [.. SecureLink.Magic, .. initiator.WriteMessage()];
    }

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        var framed = new byte[4 + input.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed, input.Length);
        input.CopyTo(framed, 4);
        var connection = new PipeConnection(framed);
        try
        {
            SecureLink.AcceptAsync(connection, _credential!, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        catch (NoiseException) when (connection.Replied)
        {
            // The first message was accepted and answered; the handshake then failed because the peer closed.
        }
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is NoiseException;
}
