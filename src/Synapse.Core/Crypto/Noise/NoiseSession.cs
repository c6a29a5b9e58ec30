using System.Buffers;
using Synapse.Identity;

namespace Synapse.Crypto.Noise;

/// <summary>
/// The result of a completed <see cref="NoiseXXHandshake"/>: who the peer is, the handshake hash, and the
/// <see cref="Transport"/> that encrypts and decrypts the link's messages. Disposing releases the keys.
/// </summary>
public sealed class NoiseSession : IDisposable
{
    private readonly byte[] _handshakeHash;
    private readonly byte[] _peerStaticPublicKey;

    internal NoiseSession(bool isInitiator, AgentId peerId, ReadOnlySpan<byte> peerStaticPublicKey, byte[] handshakeHash, NoiseTransport transport)
    {
        IsInitiator = isInitiator;
        PeerId = peerId;
        _peerStaticPublicKey = peerStaticPublicKey.ToArray();
        _handshakeHash = handshakeHash;
        Transport = transport;
    }

    /// <summary>Whether this side initiated the handshake.</summary>
    public bool IsInitiator { get; }

    /// <summary>The peer's agent id, proven by its signature over its Noise static key.</summary>
    public AgentId PeerId { get; }

    /// <summary>The peer's X25519 Noise static public key.</summary>
    public ReadOnlySpan<byte> PeerStaticPublicKey => _peerStaticPublicKey;

    /// <summary>The final handshake hash: identical on both sides, unique to this session (for channel binding).</summary>
    public ReadOnlySpan<byte> HandshakeHash => _handshakeHash;

    /// <summary>The transport message layer.</summary>
    public NoiseTransport Transport { get; }

    /// <summary>Encrypts one Noise message into <paramref name="output"/>; see <see cref="NoiseTransport.EncryptFrame"/>.</summary>
    /// <param name="plaintext">At most <see cref="NoiseTransport.MaxPlaintextLength"/> bytes.</param>
    /// <param name="output">Receives the message.</param>
    /// <returns>The number of bytes written.</returns>
    public int EncryptFrame(ReadOnlySpan<byte> plaintext, IBufferWriter<byte> output) => Transport.EncryptFrame(plaintext, output);

    /// <summary>Decrypts one Noise message into <paramref name="output"/>; see <see cref="NoiseTransport.DecryptFrame"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="output">Receives the plaintext.</param>
    /// <returns>The plaintext length.</returns>
    public int DecryptFrame(ReadOnlySpan<byte> message, IBufferWriter<byte> output) => Transport.DecryptFrame(message, output);

    /// <summary>Releases the transport keys.</summary>
    public void Dispose() => Transport.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"NoiseSession({(IsInitiator ? "initiator" : "responder")}, peer {PeerId})";
}
