using System.Buffers;
using System.IO.Pipelines;
using Synapse.Crypto.Noise;
using Synapse.Identity;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Transport.Secure;

/// <summary>
/// Opens secure links: a <c>Noise_XX_25519_ChaChaPoly_SHA256</c> handshake carried in our length-prefixed frames,
/// after which both sides know each other's agent id and everything travels encrypted.
/// </summary>
/// <remarks>
/// The initiator's first frame is <see cref="Magic"/> followed by Noise message 1; the responder answers with
/// <see cref="Magic"/> and message 2; the initiator sends message 3. A synapse-p2p node reads the first frame as
/// MessagePack, fails to decode it and answers with a plaintext <c>bad_request</c>, which tells the initiator the
/// peer only speaks plaintext, so probing is harmless.
/// </remarks>
public static class SecureLink
{
    /// <summary>The prefix that marks the first frame of each side of a secure handshake.</summary>
    public static ReadOnlySpan<byte> Magic => "SYNAPSE-NOISE/1\n"u8;

    /// <summary>
    /// Both directions of every secure link rekey after this many messages (Noise §11.3), so a long-lived link never
    /// uses one key for long; both sides apply the same constant, which keeps them in step without signalling.
    /// </summary>
    public const long RekeyInterval = 4096;

    /// <summary>The largest first frame of a handshake (magic and Noise message 1, 48 bytes in practice).</summary>
    public const int MaxFirstFrame = 1024;

    private static ReadOnlySpan<byte> Prologue => "synapse-noise/1"u8;

    private static readonly byte[] MagicBytes = Magic.ToArray();

    /// <summary>
    /// Runs the initiator side over <paramref name="connection"/>. Returns the secure connection, or, when the peer
    /// answered in plaintext, that answer (a response frame payload, or <c>null</c> if it just closed); the
    /// connection is then spent and closed.
    /// </summary>
    /// <exception cref="NoiseException">The handshake failed: bad message, bad identity, or not the pinned peer.</exception>
    public static async ValueTask<(ITransportConnection? Link, byte[]? PlaintextReply)> ConnectAsync(ITransportConnection connection, NoiseStaticCredential credential, AgentId? expectedPeer, CancellationToken cancellationToken)
    {
        using var handshake = NoiseXXHandshake.CreateInitiator(credential, Prologue, expectedPeer);
        await WriteFrameAsync(connection.Pipe.Output, MagicBytes, handshake.WriteMessage(), cancellationToken).ConfigureAwait(false);
        var reply = await ReadFrameAsync(connection.Pipe.Input, initiator: true, cancellationToken).ConfigureAwait(false);
        if (reply is null || !reply.AsSpan().StartsWith(Magic))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return (null, reply);
        }

        handshake.ReadMessage(reply.AsSpan(Magic.Length));
        await WriteFrameAsync(connection.Pipe.Output, [], handshake.WriteMessage(), cancellationToken).ConfigureAwait(false);
        return (new SecureConnection(connection, handshake.Complete(RekeyInterval), null), null);
    }

    /// <summary>
    /// Runs the responder side over <paramref name="connection"/>, whose next frame is the initiator's first message
    /// (a frame starting with <see cref="Magic"/>).
    /// </summary>
    /// <exception cref="NoiseException">The handshake failed, or the first frame does not start with <see cref="Magic"/>.</exception>
    public static async ValueTask<ITransportConnection> AcceptAsync(ITransportConnection connection, NoiseStaticCredential credential, Action<string>? onFailure, CancellationToken cancellationToken)
    {
        using var handshake = NoiseXXHandshake.CreateResponder(credential, Prologue);
        var first = await ReadFrameAsync(connection.Pipe.Input, initiator: false, cancellationToken).ConfigureAwait(false)
            ?? throw new NoiseException("the link closed before the handshake began");
        if (!first.AsSpan().StartsWith(Magic))
        {
            throw new NoiseException($"the first handshake frame ({first.Length} bytes) does not start with the magic");
        }

        handshake.ReadMessage(first.AsSpan(Magic.Length));
        await WriteFrameAsync(connection.Pipe.Output, MagicBytes, handshake.WriteMessage(), cancellationToken).ConfigureAwait(false);
        var third = await ReadFrameAsync(connection.Pipe.Input, initiator: false, cancellationToken).ConfigureAwait(false)
            ?? throw new NoiseException("the link closed during the handshake");
        handshake.ReadMessage(third);
        return new SecureConnection(connection, handshake.Complete(RekeyInterval), onFailure);
    }

    private static async ValueTask WriteFrameAsync(PipeWriter output, byte[] prefix, byte[] message, CancellationToken cancellationToken)
    {
        var length = prefix.Length + message.Length;
        var span = output.GetSpan(Frames.HeaderSize + length);
        Frames.WriteHeader(span, length);
        prefix.CopyTo(span[Frames.HeaderSize..]);
        message.CopyTo(span[(Frames.HeaderSize + prefix.Length)..]);
        output.Advance(Frames.HeaderSize + length);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one handshake frame (handshake messages are small; anything over 64 KiB is refused). An initiator told
    /// that its peer speaks another protocol passes that on as it is: it is no handshake failure.
    /// </summary>
    private static async ValueTask<byte[]?> ReadFrameAsync(PipeReader input, bool initiator, CancellationToken cancellationToken)
    {
        try
        {
            return await Frames.ReadOneAsync(input, NoiseHandshakeState.MaxMessageLength + 64, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (!initiator || e is not NotSynapsePeerException)
        {
            throw new NoiseException($"handshake frame refused: {e.Message}");
        }
    }
}
