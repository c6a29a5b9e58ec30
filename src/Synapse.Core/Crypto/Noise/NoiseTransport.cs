using System.Buffers;
using System.Buffers.Binary;

namespace Synapse.Crypto.Noise;

/// <summary>
/// The transport phase of a Noise session: one <see cref="NoiseCipherState"/> for sending and one for receiving.
/// Each Noise transport message is one AEAD ciphertext of at most <see cref="MaxMessageLength"/> bytes (so at
/// most <see cref="MaxPlaintextLength"/> bytes of plaintext) with empty associated data and the next nonce.
/// </summary>
/// <remarks>
/// <para>
/// Nonces are implicit counters, so messages must be decrypted in the order they were encrypted: a replayed,
/// reordered, dropped or altered message fails with <see cref="NoiseAuthenticationException"/>. After such a
/// failure the receiving side is closed for good (every later decryption throws), since the link can no
/// longer be trusted; a nonce is never reused on either side.
/// </para>
/// <para>
/// Two framings are offered. <see cref="EncryptFrame"/> / <see cref="DecryptFrame"/> handle one Noise message
/// whose boundaries the caller already knows (e.g. the body of a length-prefixed frame). <see cref="WriteChunked"/>
/// / <see cref="TryReadChunk"/> turn a byte stream of any length into Noise messages each preceded by a 2-byte
/// big-endian length, the framing the Noise specification suggests (§3), and back.
/// </para>
/// <para>
/// Rekeying (§11.3) must happen at the same point on both sides: call <see cref="RekeySend"/> and the peer's
/// <see cref="RekeyReceive"/> at the same message, or give both sides the same <see cref="RekeyInterval"/> so
/// each direction rekeys automatically after every that many messages.
/// </para>
/// <para>
/// The sending and receiving halves are independent: one thread may send while another receives, but two
/// threads must not send (or receive) at the same time. Disposing releases both keys.
/// </para>
/// </remarks>
public sealed class NoiseTransport : IDisposable
{
    /// <summary>The largest Noise message.</summary>
    public const int MaxMessageLength = 65535;

    /// <summary>The authentication tag each message adds.</summary>
    public const int TagSize = NoiseCipherState.TagSize;

    /// <summary>The largest plaintext of one Noise message.</summary>
    public const int MaxPlaintextLength = MaxMessageLength - TagSize;

    /// <summary>The size of the big-endian length before each message in the chunked framing.</summary>
    public const int LengthPrefixSize = 2;

    private readonly NoiseCipherState _send;
    private readonly NoiseCipherState _receive;
    private bool _receiveFailed;
    private bool _disposed;

    /// <summary>Creates the transport; it takes ownership of both cipher states.</summary>
    /// <param name="send">The cipher state for outgoing messages (must have a key).</param>
    /// <param name="receive">The cipher state for incoming messages (must have a key).</param>
    /// <param name="rekeyInterval">When positive, each direction calls <c>Rekey()</c> after every that many
    /// messages; the peer must use the same value. Zero (the default) disables automatic rekeying.</param>
    /// <exception cref="ArgumentException">A cipher state has no key.</exception>
    public NoiseTransport(NoiseCipherState send, NoiseCipherState receive, long rekeyInterval = 0)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(receive);
        ArgumentOutOfRangeException.ThrowIfNegative(rekeyInterval);
        if (!send.HasKey || !receive.HasKey)
        {
            throw new ArgumentException("Transport cipher states must have keys.", send.HasKey ? nameof(receive) : nameof(send));
        }

        _send = send;
        _receive = receive;
        RekeyInterval = rekeyInterval;
    }

    /// <summary>Messages per automatic rekey in each direction; zero when disabled.</summary>
    public long RekeyInterval { get; }

    /// <summary>The nonce of the next outgoing message (the number of messages sent).</summary>
    public ulong SendNonce => _send.Nonce;

    /// <summary>The nonce of the next incoming message (the number of messages received).</summary>
    public ulong ReceiveNonce => _receive.Nonce;

    /// <summary>The size of the chunked encoding (<see cref="WriteChunked"/>) of <paramref name="plaintextLength"/> bytes.</summary>
    /// <param name="plaintextLength">The plaintext length.</param>
    /// <returns>The number of bytes <see cref="WriteChunked"/> writes.</returns>
    public static long GetChunkedLength(long plaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        long chunks = (plaintextLength + MaxPlaintextLength - 1) / MaxPlaintextLength;
        return plaintextLength + (chunks * (TagSize + LengthPrefixSize));
    }

    /// <summary>Encrypts one Noise message.</summary>
    /// <param name="plaintext">At most <see cref="MaxPlaintextLength"/> bytes.</param>
    /// <param name="message">Receives the message: <c>plaintext.Length + </c><see cref="TagSize"/> bytes.</param>
    /// <returns>The message length.</returns>
    /// <exception cref="ArgumentException">The plaintext is too long or the buffer too small.</exception>
    /// <exception cref="NoiseException">The sending nonce is exhausted.</exception>
    public int Encrypt(ReadOnlySpan<byte> plaintext, Span<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckPlaintextLength(plaintext.Length, nameof(plaintext));
        int written = _send.EncryptWithAd(default, plaintext, message);
        MaybeRekey(_send);
        return written;
    }

    /// <summary>Decrypts one Noise message.</summary>
    /// <param name="message">The message (at most <see cref="MaxMessageLength"/> bytes).</param>
    /// <param name="plaintext">Receives the plaintext: <c>message.Length − </c><see cref="TagSize"/> bytes.</param>
    /// <returns>The plaintext length.</returns>
    /// <exception cref="ArgumentException">The buffer is too small.</exception>
    /// <exception cref="NoiseAuthenticationException">The message failed authentication; the receiving side is now closed.</exception>
    /// <exception cref="NoiseException">The message is longer than a Noise message, the receiving side failed
    /// earlier, or the nonce is exhausted.</exception>
    public int Decrypt(ReadOnlySpan<byte> message, Span<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_receiveFailed)
        {
            throw new NoiseException("An earlier message failed authentication; this link can no longer receive.");
        }

        if (message.Length > MaxMessageLength)
        {
            _receiveFailed = true;
            throw new NoiseException($"A {message.Length}-byte message exceeds the {MaxMessageLength}-byte Noise limit.");
        }

        try
        {
            int written = _receive.DecryptWithAd(default, message, plaintext);
            MaybeRekey(_receive);
            return written;
        }
        catch (NoiseException)
        {
            _receiveFailed = true;
            throw;
        }
    }

    /// <summary>Encrypts one Noise message into <paramref name="output"/>, with no length prefix.</summary>
    /// <param name="plaintext">At most <see cref="MaxPlaintextLength"/> bytes.</param>
    /// <param name="output">Receives <c>plaintext.Length + </c><see cref="TagSize"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">The plaintext is too long.</exception>
    /// <exception cref="NoiseException">The sending nonce is exhausted.</exception>
    public int EncryptFrame(ReadOnlySpan<byte> plaintext, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        CheckPlaintextLength(plaintext.Length, nameof(plaintext));
        int length = plaintext.Length + TagSize;
        int written = Encrypt(plaintext, output.GetSpan(length));
        output.Advance(written);
        return written;
    }

    /// <summary>Decrypts one Noise message (no length prefix) into <paramref name="output"/>.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="output">Receives the plaintext.</param>
    /// <returns>The plaintext length.</returns>
    /// <exception cref="NoiseAuthenticationException">The message failed authentication; the receiving side is now closed.</exception>
    /// <exception cref="NoiseException">The message is too long, or the receiving side failed earlier.</exception>
    public int DecryptFrame(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int written = Decrypt(message, message.Length is > TagSize and <= MaxMessageLength ? output.GetSpan(message.Length - TagSize) : default);
        output.Advance(written);
        return written;
    }

    /// <summary>
    /// Encrypts a plaintext of any length as consecutive Noise messages of at most
    /// <see cref="MaxPlaintextLength"/> plaintext bytes, each preceded by its 2-byte big-endian length.
    /// An empty plaintext writes nothing.
    /// </summary>
    /// <param name="plaintext">The bytes to send.</param>
    /// <param name="output">Receives <see cref="GetChunkedLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="NoiseException">The sending nonce is exhausted.</exception>
    public long WriteChunked(ReadOnlySpan<byte> plaintext, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        long total = 0;
        while (!plaintext.IsEmpty)
        {
            ReadOnlySpan<byte> chunk = plaintext[..Math.Min(plaintext.Length, MaxPlaintextLength)];
            Span<byte> destination = output.GetSpan(LengthPrefixSize + chunk.Length + TagSize);
            int written = Encrypt(chunk, destination[LengthPrefixSize..]);
            BinaryPrimitives.WriteUInt16BigEndian(destination, checked((ushort)written));
            output.Advance(LengthPrefixSize + written);
            total += LengthPrefixSize + written;
            plaintext = plaintext[chunk.Length..];
        }

        return total;
    }

    /// <summary>
    /// Reads one length-prefixed Noise message (as written by <see cref="WriteChunked"/>) from the start of
    /// <paramref name="input"/> when it is complete, decrypts it into <paramref name="output"/> and advances
    /// <paramref name="input"/> past it. Returns false, consuming nothing, when the message is not complete yet.
    /// </summary>
    /// <param name="input">Received bytes; on success, what follows the message.</param>
    /// <param name="output">Receives the plaintext.</param>
    /// <returns>Whether a message was decrypted.</returns>
    /// <exception cref="NoiseAuthenticationException">The message failed authentication; the receiving side is now closed.</exception>
    /// <exception cref="NoiseException">The length is shorter than a tag, or the receiving side failed earlier.</exception>
    public bool TryReadChunk(ref ReadOnlySequence<byte> input, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (input.Length < LengthPrefixSize)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[LengthPrefixSize];
        input.Slice(0, LengthPrefixSize).CopyTo(prefix);
        int length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (length < TagSize)
        {
            _receiveFailed = true;
            throw new NoiseException($"A {length}-byte Noise message is shorter than its {TagSize}-byte tag.");
        }

        if (input.Length < LengthPrefixSize + length)
        {
            return false;
        }

        ReadOnlySequence<byte> body = input.Slice(LengthPrefixSize, length);
        if (body.IsSingleSegment)
        {
            DecryptFrame(body.FirstSpan, output);
        }
        else
        {
            byte[] rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                body.CopyTo(rented);
                DecryptFrame(rented.AsSpan(0, length), output);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        input = input.Slice(LengthPrefixSize + length);
        return true;
    }

    /// <summary>Rekeys the sending cipher state now; the peer must call <see cref="RekeyReceive"/> at the same message.</summary>
    public void RekeySend()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _send.Rekey();
    }

    /// <summary>Rekeys the receiving cipher state now, matching the peer's <see cref="RekeySend"/>.</summary>
    public void RekeyReceive()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _receive.Rekey();
    }

    /// <summary>Releases both keys.</summary>
    public void Dispose()
    {
        _disposed = true;
        _send.Dispose();
        _receive.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"NoiseTransport(sent {SendNonce}, received {ReceiveNonce})";

    private static void CheckPlaintextLength(int length, string parameter)
    {
        if (length > MaxPlaintextLength)
        {
            throw new ArgumentException($"A Noise message carries at most {MaxPlaintextLength} plaintext bytes, not {length}; split it (see WriteChunked).", parameter);
        }
    }

    private void MaybeRekey(NoiseCipherState cipher)
    {
        if (RekeyInterval > 0 && cipher.Nonce % (ulong)RekeyInterval == 0)
        {
            cipher.Rekey();
        }
    }
}
