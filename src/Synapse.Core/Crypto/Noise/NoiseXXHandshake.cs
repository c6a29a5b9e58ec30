using System.Buffers;
using Synapse.Identity;

namespace Synapse.Crypto.Noise;

/// <summary>
/// Synapse's authenticated handshake: <c>Noise_XX_25519_ChaChaPoly_SHA256</c> whose second (responder) and third
/// (initiator) messages carry the sender's identity payload, <c>{"id": did:key, "sig": Ed25519 signature over
/// "synapse-noise-static-v1" || sender's Noise static key}</c>. Each side verifies the other's payload against
/// the static key the handshake authenticated, so when it completes both know the other's <see cref="AgentId"/>.
/// </summary>
/// <remarks>
/// <para>
/// The three messages: (1) initiator → responder <c>e</c> with an empty payload; (2) responder → initiator
/// <c>e, ee, s, es</c> with the responder's identity; (3) initiator → responder <c>s, se</c> with the
/// initiator's identity. The caller moves the bytes (this class does no I/O) and frames them; each is at most
/// <see cref="NoiseHandshakeState.MaxMessageLength"/> bytes and in practice under 250.
/// </para>
/// <para>
/// Failures: a message that does not authenticate gives <see cref="NoiseAuthenticationException"/>; a bad
/// identity payload, a signature that does not verify, or a peer other than the expected one gives
/// <see cref="NoiseIdentityException"/>; a malformed message gives <see cref="NoiseException"/>. After any
/// failure the handshake is dead. Both sides must use the same prologue.
/// </para>
/// </remarks>
public sealed class NoiseXXHandshake : IDisposable
{
    private readonly NoiseHandshakeState _state;
    private readonly NoiseStaticCredential _credential;
    private readonly bool _ownsCredential;
    private readonly AgentId? _expectedPeer;
    private AgentId? _peerId;
    private bool _failed;
    private bool _sessionTaken;

    private NoiseXXHandshake(NoiseStaticCredential credential, bool ownsCredential, bool initiator, ReadOnlySpan<byte> prologue, AgentId? expectedPeer)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _credential = credential;
        _ownsCredential = ownsCredential;
        _expectedPeer = expectedPeer;
        _state = new NoiseHandshakeState(NoiseProtocol.XX, initiator, prologue, credential.PrivateKey);
    }

    /// <summary>Whether this side sends the first message.</summary>
    public bool IsInitiator => _state.IsInitiator;

    /// <summary>Whether the three messages have been exchanged and both identities verified.</summary>
    public bool IsCompleted => _state.IsCompleted && !_failed;

    /// <summary>Whether the next message is this side's to write.</summary>
    public bool IsMyTurnToWrite => !_failed && _state.IsMyTurnToWrite;

    /// <summary>The peer's verified agent id: known to the initiator after message 2, to the responder after message 3.</summary>
    public AgentId? PeerId => _peerId;

    /// <summary>Starts a handshake as the initiator (the connecting side).</summary>
    /// <param name="credential">This agent's static key credential; it is not disposed with the handshake.</param>
    /// <param name="prologue">Bytes both sides must agree on (e.g. a protocol version); hashed, never sent.</param>
    /// <param name="expectedPeer">When given, the handshake fails unless the responder proves this id (pinning).</param>
    /// <returns>The handshake.</returns>
    public static NoiseXXHandshake CreateInitiator(NoiseStaticCredential credential, ReadOnlySpan<byte> prologue = default, AgentId? expectedPeer = null) =>
        new(credential, ownsCredential: false, initiator: true, prologue, expectedPeer);

    /// <summary>Starts a handshake as the responder (the accepting side).</summary>
    /// <param name="credential">This agent's static key credential; it is not disposed with the handshake.</param>
    /// <param name="prologue">Bytes both sides must agree on; hashed, never sent.</param>
    /// <param name="expectedPeer">When given, the handshake fails unless the initiator proves this id.</param>
    /// <returns>The handshake.</returns>
    public static NoiseXXHandshake CreateResponder(NoiseStaticCredential credential, ReadOnlySpan<byte> prologue = default, AgentId? expectedPeer = null) =>
        new(credential, ownsCredential: false, initiator: false, prologue, expectedPeer);

    /// <summary>Starts a handshake as the initiator with a fresh static key signed by <paramref name="identity"/>
    /// (one signature per handshake; reuse a <see cref="NoiseStaticCredential"/> to avoid it).</summary>
    /// <param name="identity">This agent's identity.</param>
    /// <param name="prologue">Bytes both sides must agree on; hashed, never sent.</param>
    /// <param name="expectedPeer">When given, the handshake fails unless the responder proves this id.</param>
    /// <returns>The handshake.</returns>
    public static NoiseXXHandshake CreateInitiator(AgentIdentity identity, ReadOnlySpan<byte> prologue = default, AgentId? expectedPeer = null) =>
        new(NoiseStaticCredential.Create(identity), ownsCredential: true, initiator: true, prologue, expectedPeer);

    /// <summary>Starts a handshake as the responder with a fresh static key signed by <paramref name="identity"/>.</summary>
    /// <param name="identity">This agent's identity.</param>
    /// <param name="prologue">Bytes both sides must agree on; hashed, never sent.</param>
    /// <param name="expectedPeer">When given, the handshake fails unless the initiator proves this id.</param>
    /// <returns>The handshake.</returns>
    public static NoiseXXHandshake CreateResponder(AgentIdentity identity, ReadOnlySpan<byte> prologue = default, AgentId? expectedPeer = null) =>
        new(NoiseStaticCredential.Create(identity), ownsCredential: true, initiator: false, prologue, expectedPeer);

    /// <summary>Writes this side's next handshake message into <paramref name="output"/>.</summary>
    /// <param name="output">Receives the message.</param>
    /// <returns>The message length.</returns>
    /// <exception cref="InvalidOperationException">It is not this side's turn, or the handshake is over.</exception>
    public int WriteMessage(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        EnsureUsable();
        ReadOnlySpan<byte> payload = _state.MessageIndex == 0 ? default : _credential.Payload;
        int length = payload.Length + _state.GetNextMessageOverhead();
        int written = _state.WriteMessage(payload, output.GetSpan(length));
        output.Advance(written);
        return written;
    }

    /// <summary>Writes this side's next handshake message into a new array.</summary>
    /// <returns>The message.</returns>
    /// <exception cref="InvalidOperationException">It is not this side's turn, or the handshake is over.</exception>
    public byte[] WriteMessage()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteMessage(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads the peer's next handshake message, verifying its identity payload when it carries one.</summary>
    /// <param name="message">The message.</param>
    /// <exception cref="InvalidOperationException">It is not the peer's turn, or the handshake is over.</exception>
    /// <exception cref="NoiseAuthenticationException">The message failed authentication.</exception>
    /// <exception cref="NoiseIdentityException">The identity payload is malformed or its signature does not verify,
    /// or the peer is not the expected agent.</exception>
    /// <exception cref="NoiseException">The message is malformed.</exception>
    public void ReadMessage(ReadOnlySpan<byte> message)
    {
        EnsureUsable();
        try
        {
            int index = _state.MessageIndex;
            byte[] payload = _state.ReadMessage(message);
            if (index == 0)
            {
                if (payload.Length != 0)
                {
                    throw new NoiseException("The first handshake message must have an empty payload.");
                }

                return;
            }

            AgentId peer = NoiseIdentityPayload.Verify(payload, _state.RemoteStaticPublicKey);
            if (_expectedPeer is { } expected && expected != peer)
            {
                throw new NoiseIdentityException($"The peer is {peer}, not the expected {expected}.");
            }

            _peerId = peer;
        }
        catch (Exception ex) when (ex is NoiseException)
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>
    /// Hands over the session once the handshake is complete: the peer's id, the handshake hash and the
    /// transport. Can be called once.
    /// </summary>
    /// <param name="rekeyInterval">Automatic rekey interval of the transport (see <see cref="NoiseTransport.RekeyInterval"/>); both sides must agree.</param>
    /// <returns>The session.</returns>
    /// <exception cref="InvalidOperationException">The handshake is not complete, or the session was already taken.</exception>
    public NoiseSession Complete(long rekeyInterval = 0)
    {
        if (!IsCompleted || _peerId is not { } peer)
        {
            throw new InvalidOperationException("The handshake is not complete.");
        }

        if (_sessionTaken)
        {
            throw new InvalidOperationException("The session was already taken.");
        }

        _sessionTaken = true;
        byte[] hash = _state.GetHandshakeHash();
        (NoiseCipherState send, NoiseCipherState receive) = _state.TakeCipherStates();
        return new NoiseSession(IsInitiator, peer, _state.RemoteStaticPublicKey, hash, new NoiseTransport(send, receive, rekeyInterval));
    }

    /// <summary>Zeroes the handshake's secrets (and the credential's, when the handshake created it).</summary>
    public void Dispose()
    {
        _state.Dispose();
        if (_ownsCredential)
        {
            _credential.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"NoiseXXHandshake({(IsInitiator ? "initiator" : "responder")}, message {_state.MessageIndex}{(_failed ? ", failed" : IsCompleted ? ", completed" : "")})";

    private void EnsureUsable()
    {
        if (_failed)
        {
            throw new InvalidOperationException("The handshake has failed; start a new one.");
        }
    }
}
