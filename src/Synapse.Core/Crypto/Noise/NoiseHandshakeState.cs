using System.Security.Cryptography;

namespace Synapse.Crypto.Noise;

/// <summary>
/// A Noise <c>HandshakeState</c> (revision 34, §5.3): a generic interpreter of the tokens <c>e</c>, <c>s</c>,
/// <c>ee</c>, <c>es</c>, <c>se</c>, <c>ss</c> and <c>psk</c> over any <see cref="NoiseHandshakePattern"/>, with a
/// prologue, pre-messages and pre-shared keys. It is a pure state machine: the caller moves the messages.
/// </summary>
/// <remarks>
/// <para>
/// Call <see cref="WriteMessage(ReadOnlySpan{byte}, Span{byte})"/> when <see cref="IsMyTurnToWrite"/>, and
/// <see cref="ReadMessage(ReadOnlySpan{byte}, Span{byte})"/> otherwise, until <see cref="IsCompleted"/>; then
/// <see cref="TakeCipherStates"/> gives the transport cipher states. Any error (a failed decryption, a malformed
/// message, an invalid public key) fails the handshake for good: every later call throws.
/// </para>
/// <para>
/// Messages are at most <see cref="MaxMessageLength"/> bytes (§3). A Diffie-Hellman result of all zeros (a
/// low-order peer key) is rejected, as §12.1 allows. Not thread-safe. Private keys are held by NSec and never
/// leave it (DH outputs go into HKDF inside NSec); disposing frees them, and libsodium wipes them.
/// </para>
/// </remarks>
public sealed class NoiseHandshakeState : IDisposable
{
    /// <summary>The largest Noise message (§3).</summary>
    public const int MaxMessageLength = 65535;

    /// <summary>DHLEN for 25519: the size of public keys and DH outputs.</summary>
    public const int DhLength = 32;

    /// <summary>The size of a pre-shared key (§9).</summary>
    public const int PskLength = 32;

    private readonly NoiseSymmetricState _symmetric;
    private readonly NoiseHandshakePattern _pattern;
    private readonly byte[][] _psks;
    private readonly bool _ownsStatic;
    private X25519PrivateKey? _staticPrivate;
    private byte[]? _staticPublic;
    private X25519PrivateKey? _ephemeralPrivate;
    private byte[]? _ephemeralPublic;
    private byte[]? _remoteStatic;
    private byte[]? _remoteEphemeral;
    private int _pskIndex;
    private bool _failed;
    private bool _disposed;
    private NoiseCipherState? _initiatorToResponder;
    private NoiseCipherState? _responderToInitiator;

    /// <summary>Initializes the handshake (<c>Initialize()</c>, §5.3).</summary>
    /// <param name="protocol">The protocol, e.g. <see cref="NoiseProtocol.XX"/>.</param>
    /// <param name="initiator">Whether this party sends the first message.</param>
    /// <param name="prologue">Data both parties must agree on; it is hashed in but never sent.</param>
    /// <param name="localStaticPrivateKey">This party's static X25519 private key, when the pattern uses one.</param>
    /// <param name="remoteStaticPublicKey">The peer's static public key, when the pattern has it as a pre-message.</param>
    /// <param name="preSharedKeys">One 32-byte key per <c>psk</c> token, in the order the tokens occur.</param>
    /// <exception cref="ArgumentException">A key is missing, superfluous or of the wrong size for the pattern.</exception>
    public NoiseHandshakeState(
        NoiseProtocol protocol,
        bool initiator,
        ReadOnlySpan<byte> prologue = default,
        ReadOnlySpan<byte> localStaticPrivateKey = default,
        ReadOnlySpan<byte> remoteStaticPublicKey = default,
        IReadOnlyList<byte[]>? preSharedKeys = null)
        : this(protocol, initiator, prologue, localStaticPrivateKey, remoteStaticPublicKey, preSharedKeys, default)
    {
    }

    /// <summary>As the public constructor, with the local static key held by NSec and borrowed (not disposed with the handshake).</summary>
    internal NoiseHandshakeState(NoiseProtocol protocol, bool initiator, ReadOnlySpan<byte> prologue, X25519PrivateKey localStaticKey)
        : this(protocol, initiator, prologue, default, default, null, default, localStaticKey)
    {
    }

    /// <summary>
    /// As the public constructor, with a fixed ephemeral private key used by the first <c>e</c> token instead of a
    /// fresh one: for known-answer tests only.
    /// </summary>
    internal NoiseHandshakeState(
        NoiseProtocol protocol,
        bool initiator,
        ReadOnlySpan<byte> prologue,
        ReadOnlySpan<byte> localStaticPrivateKey,
        ReadOnlySpan<byte> remoteStaticPublicKey,
        IReadOnlyList<byte[]>? preSharedKeys,
        ReadOnlySpan<byte> localEphemeralPrivateKey,
        X25519PrivateKey? borrowedStaticKey = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        Protocol = protocol;
        _pattern = protocol.Pattern;
        IsInitiator = initiator;

        IReadOnlyList<NoiseToken> localPre = initiator ? _pattern.InitiatorPreMessage : _pattern.ResponderPreMessage;
        IReadOnlyList<NoiseToken> remotePre = initiator ? _pattern.ResponderPreMessage : _pattern.InitiatorPreMessage;
        bool needsStatic = localPre.Contains(NoiseToken.S)
            || _pattern.Messages.Where((_, i) => (i % 2 == 0) == initiator).Any(m => m.Contains(NoiseToken.S));
        bool needsRemoteStatic = remotePre.Contains(NoiseToken.S);
        CheckKey(borrowedStaticKey is null ? localStaticPrivateKey : new byte[DhLength], needsStatic, "a local static key", nameof(localStaticPrivateKey));
        CheckKey(remoteStaticPublicKey, needsRemoteStatic, "the remote party's static key", nameof(remoteStaticPublicKey));

        _psks = [.. (preSharedKeys ?? []).Select(k => (byte[])k.Clone())];
        if (_psks.Length != _pattern.PskCount)
        {
            throw new ArgumentException($"{protocol.Name} needs {_pattern.PskCount} pre-shared key(s), not {_psks.Length}.", nameof(preSharedKeys));
        }

        if (_psks.Any(k => k.Length != PskLength))
        {
            throw new ArgumentException($"Pre-shared keys are {PskLength} bytes.", nameof(preSharedKeys));
        }

        if (borrowedStaticKey is not null || !localStaticPrivateKey.IsEmpty)
        {
            _ownsStatic = borrowedStaticKey is null;
            _staticPrivate = borrowedStaticKey ?? X25519PrivateKey.Create(localStaticPrivateKey);
            _staticPublic = new byte[DhLength];
            _staticPrivate.GetPublicKey(_staticPublic);
        }

        if (!remoteStaticPublicKey.IsEmpty)
        {
            _remoteStatic = remoteStaticPublicKey.ToArray();
        }

        if (!localEphemeralPrivateKey.IsEmpty)
        {
            _ephemeralPrivate = X25519PrivateKey.Create(localEphemeralPrivateKey);
            _ephemeralPublic = new byte[DhLength];
            _ephemeralPrivate.GetPublicKey(_ephemeralPublic);
        }

        _symmetric = new NoiseSymmetricState(protocol.NameBytes);
        _symmetric.MixHash(prologue);

        // Pre-messages: the initiator's keys first, then the responder's (§7.1). The fundamental patterns only
        // pre-send static keys.
        foreach (NoiseToken token in _pattern.InitiatorPreMessage)
        {
            MixPreMessageKey(token, initiator ? _staticPublic : _remoteStatic);
        }

        foreach (NoiseToken token in _pattern.ResponderPreMessage)
        {
            MixPreMessageKey(token, initiator ? _remoteStatic : _staticPublic);
        }
    }

    /// <summary>The protocol being run.</summary>
    public NoiseProtocol Protocol { get; }

    /// <summary>Whether this party is the initiator.</summary>
    public bool IsInitiator { get; }

    /// <summary>The index of the next handshake message.</summary>
    public int MessageIndex { get; private set; }

    /// <summary>Whether all handshake messages have been written or read.</summary>
    public bool IsCompleted => MessageIndex == _pattern.Messages.Count;

    /// <summary>Whether the next handshake message is this party's to write (false once completed or failed).</summary>
    public bool IsMyTurnToWrite => !_failed && !IsCompleted && (MessageIndex % 2 == 0) == IsInitiator;

    /// <summary>This party's static public key, or empty.</summary>
    public ReadOnlySpan<byte> LocalStaticPublicKey => _staticPublic;

    /// <summary>The peer's static public key: given at initialization or received in a message; empty until known.</summary>
    public ReadOnlySpan<byte> RemoteStaticPublicKey => _remoteStatic;

    /// <summary>
    /// The handshake hash <c>h</c> (§5.2 <c>GetHandshakeHash()</c>). After the last message it identifies the
    /// session uniquely and may be used for channel binding.
    /// </summary>
    /// <returns>A copy of the 32-byte hash.</returns>
    public byte[] GetHandshakeHash()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _symmetric.HandshakeHash.ToArray();
    }

    /// <summary>The size of the next handshake message around a payload: keys, encrypted keys and tags.</summary>
    /// <returns>The number of bytes the next message adds to its payload.</returns>
    /// <exception cref="InvalidOperationException">The handshake is completed or has failed.</exception>
    public int GetNextMessageOverhead()
    {
        EnsureActive();
        return Overhead(_pattern.Messages[MessageIndex]);
    }

    /// <summary>Writes the next handshake message (§5.3 <c>WriteMessage</c>).</summary>
    /// <param name="payload">The payload (encrypted once a key has been agreed).</param>
    /// <param name="message">Receives the message: at least <c>payload.Length + </c><see cref="GetNextMessageOverhead"/> bytes.</param>
    /// <returns>The message length.</returns>
    /// <exception cref="InvalidOperationException">It is not this party's turn, or the handshake is over.</exception>
    /// <exception cref="ArgumentException">The message would exceed <see cref="MaxMessageLength"/>, or <paramref name="message"/> is too small.</exception>
    /// <exception cref="NoiseException">A DH result was all zeros; the handshake has failed.</exception>
    public int WriteMessage(ReadOnlySpan<byte> payload, Span<byte> message)
    {
        EnsureActive();
        if ((MessageIndex % 2 == 0) != IsInitiator)
        {
            throw new InvalidOperationException($"Handshake message {MessageIndex} is the peer's to write.");
        }

        IReadOnlyList<NoiseToken> tokens = _pattern.Messages[MessageIndex];
        long length = (long)Overhead(tokens) + payload.Length;
        if (length > MaxMessageLength)
        {
            throw new ArgumentException($"A {payload.Length}-byte payload makes a {length}-byte handshake message, over the {MaxMessageLength}-byte Noise limit.", nameof(payload));
        }

        if (message.Length < length)
        {
            throw new ArgumentException($"The message buffer needs {length} bytes but has {message.Length}.", nameof(message));
        }

        try
        {
            int offset = 0;
            foreach (NoiseToken token in tokens)
            {
                switch (token)
                {
                    case NoiseToken.E:
                        if (_ephemeralPrivate is null)
                        {
                            _ephemeralPrivate = X25519PrivateKey.Generate();
                            _ephemeralPublic = new byte[DhLength];
                            _ephemeralPrivate.GetPublicKey(_ephemeralPublic);
                        }

                        _ephemeralPublic.CopyTo(message[offset..]);
                        offset += DhLength;
                        _symmetric.MixHash(_ephemeralPublic);
                        if (_pattern.IsPsk)
                        {
                            _symmetric.MixKey(_ephemeralPublic);
                        }

                        break;
                    case NoiseToken.S:
                        offset += _symmetric.EncryptAndHash(_staticPublic, message[offset..]);
                        break;
                    case NoiseToken.Psk:
                        _symmetric.MixKeyAndHash(_psks[_pskIndex++]);
                        break;
                    default:
                        MixDh(token);
                        break;
                }
            }

            offset += _symmetric.EncryptAndHash(payload, message[offset..]);
            Advance();
            return offset;
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>Writes the next handshake message into a new array.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The message.</returns>
    /// <exception cref="InvalidOperationException">It is not this party's turn, or the handshake is over.</exception>
    /// <exception cref="ArgumentException">The message would exceed <see cref="MaxMessageLength"/>.</exception>
    /// <exception cref="NoiseException">A DH result was all zeros; the handshake has failed.</exception>
    public byte[] WriteMessage(ReadOnlySpan<byte> payload)
    {
        byte[] message = new byte[checked(payload.Length + GetNextMessageOverhead())];
        int written = WriteMessage(payload, message);
        return written == message.Length ? message : message[..written];
    }

    /// <summary>Reads the next handshake message (§5.3 <c>ReadMessage</c>).</summary>
    /// <param name="message">The message.</param>
    /// <param name="payload">Receives the payload: at least <c>message.Length − </c><see cref="GetNextMessageOverhead"/> bytes.</param>
    /// <returns>The payload length.</returns>
    /// <exception cref="InvalidOperationException">It is not the peer's turn, or the handshake is over.</exception>
    /// <exception cref="ArgumentException"><paramref name="payload"/> is too small.</exception>
    /// <exception cref="NoiseAuthenticationException">An encrypted field failed authentication; the handshake has failed.</exception>
    /// <exception cref="NoiseException">The message is too short or too long, or a DH result was all zeros; the handshake has failed.</exception>
    public int ReadMessage(ReadOnlySpan<byte> message, Span<byte> payload)
    {
        EnsureActive();
        if ((MessageIndex % 2 == 0) == IsInitiator)
        {
            throw new InvalidOperationException($"Handshake message {MessageIndex} is this party's to write.");
        }

        IReadOnlyList<NoiseToken> tokens = _pattern.Messages[MessageIndex];
        int overhead = Overhead(tokens);
        if (message.Length > MaxMessageLength || message.Length < overhead)
        {
            _failed = true;
            throw new NoiseException(message.Length > MaxMessageLength
                ? $"A {message.Length}-byte handshake message exceeds the {MaxMessageLength}-byte Noise limit."
                : $"Handshake message {MessageIndex} is {message.Length} bytes, shorter than the {overhead} its pattern needs.");
        }

        if (payload.Length < message.Length - overhead)
        {
            throw new ArgumentException($"The payload buffer needs {message.Length - overhead} bytes but has {payload.Length}.", nameof(payload));
        }

        try
        {
            int offset = 0;
            foreach (NoiseToken token in tokens)
            {
                switch (token)
                {
                    case NoiseToken.E:
                        _remoteEphemeral = message.Slice(offset, DhLength).ToArray();
                        offset += DhLength;
                        _symmetric.MixHash(_remoteEphemeral);
                        if (_pattern.IsPsk)
                        {
                            _symmetric.MixKey(_remoteEphemeral);
                        }

                        break;
                    case NoiseToken.S:
                        int length = _symmetric.EncryptedLength(DhLength);
                        byte[] remoteStatic = new byte[DhLength];
                        _symmetric.DecryptAndHash(message.Slice(offset, length), remoteStatic);
                        _remoteStatic = remoteStatic;
                        offset += length;
                        break;
                    case NoiseToken.Psk:
                        _symmetric.MixKeyAndHash(_psks[_pskIndex++]);
                        break;
                    default:
                        MixDh(token);
                        break;
                }
            }

            int written = _symmetric.DecryptAndHash(message[offset..], payload);
            Advance();
            return written;
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>Reads the next handshake message and returns its payload in a new array.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="InvalidOperationException">It is not the peer's turn, or the handshake is over.</exception>
    /// <exception cref="NoiseAuthenticationException">An encrypted field failed authentication; the handshake has failed.</exception>
    /// <exception cref="NoiseException">The message is malformed; the handshake has failed.</exception>
    public byte[] ReadMessage(ReadOnlySpan<byte> message)
    {
        byte[] payload = new byte[Math.Max(0, message.Length - GetNextMessageOverhead())];
        int written = ReadMessage(message, payload);
        return written == payload.Length ? payload : payload[..written];
    }

    /// <summary>
    /// Hands over the transport cipher states after the last message (the two <c>CipherState</c>s of
    /// <c>Split()</c>, oriented for this party). The caller owns and disposes them. For one-way patterns only
    /// the initiator's <c>Send</c> and the responder's <c>Receive</c> may be used.
    /// </summary>
    /// <returns>The cipher state for sending and the one for receiving.</returns>
    /// <exception cref="InvalidOperationException">The handshake is not completed, or the states were already taken.</exception>
    public (NoiseCipherState Send, NoiseCipherState Receive) TakeCipherStates()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsCompleted || _failed)
        {
            throw new InvalidOperationException("The handshake is not completed.");
        }

        NoiseCipherState? c1 = _initiatorToResponder;
        NoiseCipherState? c2 = _responderToInitiator;
        if (c1 is null || c2 is null)
        {
            throw new InvalidOperationException("The transport cipher states were already taken.");
        }

        _initiatorToResponder = null;
        _responderToInitiator = null;
        return IsInitiator ? (c1, c2) : (c2, c1);
    }

    /// <summary>Frees the private keys, zeroes the pre-shared keys and releases what was not taken.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _symmetric.Dispose();
        _initiatorToResponder?.Dispose();
        _responderToInitiator?.Dispose();
        if (_ownsStatic)
        {
            _staticPrivate?.Dispose();
        }

        _ephemeralPrivate?.Dispose();
        foreach (byte[] psk in _psks)
        {
            Zero(psk);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"NoiseHandshakeState({Protocol.Name}, {(IsInitiator ? "initiator" : "responder")}, message {MessageIndex}{(_failed ? ", failed" : IsCompleted ? ", completed" : "")})";

    private static void Zero(byte[]? secret)
    {
        if (secret is not null)
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static void CheckKey(ReadOnlySpan<byte> key, bool needed, string what, string parameter)
    {
        if (needed && key.Length != DhLength)
        {
            throw new ArgumentException(key.IsEmpty ? $"The pattern needs {what}." : $"Keys are {DhLength} bytes, not {key.Length}.", parameter);
        }

        if (!needed && !key.IsEmpty)
        {
            throw new ArgumentException($"The pattern does not use {what}.", parameter);
        }
    }

    private void MixPreMessageKey(NoiseToken token, byte[]? publicKey)
    {
        if (token != NoiseToken.S || publicKey is null)
        {
            throw new NotSupportedException($"Pre-message token {token} is not supported.");
        }

        _symmetric.MixHash(publicKey);
    }

    /// <summary>The bytes a message with <paramref name="tokens"/> adds to its payload, given the current key state.</summary>
    private int Overhead(IReadOnlyList<NoiseToken> tokens)
    {
        bool hasKey = _symmetric.HasKey;
        int length = 0;
        foreach (NoiseToken token in tokens)
        {
            switch (token)
            {
                case NoiseToken.E:
                    length += DhLength;
                    hasKey |= _pattern.IsPsk;
                    break;
                case NoiseToken.S:
                    length += DhLength + (hasKey ? NoiseCipherState.TagSize : 0);
                    break;
                default:
                    hasKey = true;
                    break;
            }
        }

        return length + (hasKey ? NoiseCipherState.TagSize : 0);
    }

    /// <summary>The DH tokens: which local key meets which remote key depends on the role (§5.3).</summary>
    private void MixDh(NoiseToken token)
    {
        (X25519PrivateKey? local, byte[]? remote) = token switch
        {
            NoiseToken.EE => (_ephemeralPrivate, _remoteEphemeral),
            NoiseToken.ES => IsInitiator ? (_ephemeralPrivate, _remoteStatic) : (_staticPrivate, _remoteEphemeral),
            NoiseToken.SE => IsInitiator ? (_staticPrivate, _remoteEphemeral) : (_ephemeralPrivate, _remoteStatic),
            NoiseToken.SS => (_staticPrivate, _remoteStatic),
            _ => throw new InvalidOperationException($"Unexpected token {token}."),
        };
        if (local is null || remote is null)
        {
            throw new NoiseException($"Token {token} needs a key that is not known at this point of the pattern.");
        }

        using NSec.Cryptography.SharedSecret shared = local.Agree(remote)
            ?? throw new NoiseException($"The DH for token {token} gave the all-zero value: the peer's key is invalid.");
        _symmetric.MixKey(shared);
    }

    private void Advance()
    {
        MessageIndex++;
        if (IsCompleted)
        {
            (_initiatorToResponder, _responderToInitiator) = _symmetric.Split();

            // The ephemeral keys have done their work (§5.3: they may be deleted).
            _ephemeralPrivate?.Dispose();
        }
    }

    private void EnsureActive()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed)
        {
            throw new InvalidOperationException("The handshake has failed; start a new one.");
        }

        if (IsCompleted)
        {
            throw new InvalidOperationException("The handshake is already completed.");
        }
    }
}
