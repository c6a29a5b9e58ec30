using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Synapse.Crypto.Hpke;

/// <summary>
/// An HPKE encryption context (RFC 9180 §5.2): a sender's context seals, a receiver's opens, both export.
/// Every <see cref="Seal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> or successful
/// <see cref="Open(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> uses the next sequence number, so
/// the receiver must open the sender's messages in the order they were sealed.
/// </summary>
/// <remarks>
/// The nonce of message <c>seq</c> is <c>base_nonce XOR I2OSP(seq, 12)</c>. Sequence numbers are 64-bit here:
/// the context refuses to go past 2^64 − 1 messages (<see cref="HpkeError.MessageLimitReached"/>), a tighter
/// bound than RFC 9180's 2^96 − 1 that no real use reaches. Not thread-safe. Disposing zeroes the secrets.
/// </remarks>
public sealed class HpkeContext : IDisposable
{
    private readonly ChaCha20Poly1305 _aead;
    private readonly byte[] _key;
    private readonly byte[] _baseNonce;
    private readonly byte[] _exporterSecret;
    private bool _disposed;

    internal HpkeContext(bool isSender, ReadOnlySpan<byte> key, ReadOnlySpan<byte> baseNonce, ReadOnlySpan<byte> exporterSecret)
    {
        IsSender = isSender;
        _key = key.ToArray();
        _baseNonce = baseNonce.ToArray();
        _exporterSecret = exporterSecret.ToArray();
        _aead = new ChaCha20Poly1305(_key);
    }

    /// <summary>Whether this is a sender's context (it seals) rather than a receiver's (it opens).</summary>
    public bool IsSender { get; }

    /// <summary>The sequence number the next message will use.</summary>
    public ulong SequenceNumber { get; internal set; }

    /// <summary>The AEAD key, for known-answer tests.</summary>
    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>The base nonce, for known-answer tests.</summary>
    internal ReadOnlySpan<byte> BaseNonce => _baseNonce;

    /// <summary>The exporter secret, for known-answer tests.</summary>
    internal ReadOnlySpan<byte> ExporterSecret => _exporterSecret;

    /// <summary>Encrypts and authenticates the next message.</summary>
    /// <param name="associatedData">Data authenticated but not encrypted (may be empty).</param>
    /// <param name="plaintext">The message.</param>
    /// <param name="ciphertext">Receives the ciphertext: the encrypted message followed by the 16-byte tag; at least
    /// <c>plaintext.Length + </c><see cref="HpkeSuite.TagSize"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="InvalidOperationException">This is a receiver's context.</exception>
    /// <exception cref="ArgumentException"><paramref name="ciphertext"/> is too small.</exception>
    /// <exception cref="HpkeException">The sequence numbers are used up.</exception>
    public int Seal(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsSender)
        {
            throw new InvalidOperationException("A receiver's HPKE context cannot seal.");
        }

        int length = checked(plaintext.Length + HpkeSuite.TagSize);
        if (ciphertext.Length < length)
        {
            throw new ArgumentException($"The ciphertext buffer needs {length} bytes but has {ciphertext.Length}.", nameof(ciphertext));
        }

        Span<byte> nonce = stackalloc byte[HpkeSuite.NonceSize];
        ComputeNonce(nonce);
        _aead.Encrypt(nonce, plaintext, ciphertext[..plaintext.Length], ciphertext.Slice(plaintext.Length, HpkeSuite.TagSize), associatedData);
        SequenceNumber++;
        return length;
    }

    /// <summary>Encrypts and authenticates the next message into a new array.</summary>
    /// <param name="associatedData">Data authenticated but not encrypted (may be empty).</param>
    /// <param name="plaintext">The message.</param>
    /// <returns>The ciphertext (the message length plus <see cref="HpkeSuite.TagSize"/>).</returns>
    /// <exception cref="InvalidOperationException">This is a receiver's context.</exception>
    /// <exception cref="HpkeException">The sequence numbers are used up.</exception>
    public byte[] Seal(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext)
    {
        byte[] ciphertext = new byte[checked(plaintext.Length + HpkeSuite.TagSize)];
        Seal(associatedData, plaintext, ciphertext);
        return ciphertext;
    }

    /// <summary>Authenticates and decrypts the next message. On failure the sequence number does not advance.</summary>
    /// <param name="associatedData">The associated data the sender used.</param>
    /// <param name="ciphertext">The ciphertext, tag included.</param>
    /// <param name="plaintext">Receives the message; at least <c>ciphertext.Length − </c><see cref="HpkeSuite.TagSize"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="InvalidOperationException">This is a sender's context.</exception>
    /// <exception cref="ArgumentException"><paramref name="plaintext"/> is too small.</exception>
    /// <exception cref="HpkeException">The ciphertext does not authenticate (<see cref="HpkeError.OpenFailed"/>),
    /// or the sequence numbers are used up.</exception>
    public int Open(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsSender)
        {
            throw new InvalidOperationException("A sender's HPKE context cannot open.");
        }

        if (ciphertext.Length < HpkeSuite.TagSize)
        {
            throw new HpkeException(HpkeError.OpenFailed, $"The ciphertext is {ciphertext.Length} bytes, shorter than the {HpkeSuite.TagSize}-byte tag.");
        }

        int length = ciphertext.Length - HpkeSuite.TagSize;
        if (plaintext.Length < length)
        {
            throw new ArgumentException($"The plaintext buffer needs {length} bytes but has {plaintext.Length}.", nameof(plaintext));
        }

        Span<byte> nonce = stackalloc byte[HpkeSuite.NonceSize];
        ComputeNonce(nonce);
        try
        {
            _aead.Decrypt(nonce, ciphertext[..length], ciphertext[length..], plaintext[..length], associatedData);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new HpkeException(HpkeError.OpenFailed, $"The ciphertext of message {SequenceNumber} does not authenticate.", ex);
        }

        SequenceNumber++;
        return length;
    }

    /// <summary>Authenticates and decrypts the next message into a new array.</summary>
    /// <param name="associatedData">The associated data the sender used.</param>
    /// <param name="ciphertext">The ciphertext, tag included.</param>
    /// <returns>The message.</returns>
    /// <exception cref="InvalidOperationException">This is a sender's context.</exception>
    /// <exception cref="HpkeException">The ciphertext does not authenticate, or the sequence numbers are used up.</exception>
    public byte[] Open(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length < HpkeSuite.TagSize)
        {
            throw new HpkeException(HpkeError.OpenFailed, $"The ciphertext is {ciphertext.Length} bytes, shorter than the {HpkeSuite.TagSize}-byte tag.");
        }

        byte[] plaintext = new byte[ciphertext.Length - HpkeSuite.TagSize];
        Open(associatedData, ciphertext, plaintext);
        return plaintext;
    }

    /// <summary>Derives a secret from the context (RFC 9180 §5.3, <c>Context.Export</c>); sender and receiver get the same value.</summary>
    /// <param name="exporterContext">Distinguishes exported secrets from each other.</param>
    /// <param name="output">Receives the secret; its length L is at most <see cref="HpkeSuite.MaxExportLength"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="output"/> is longer than <see cref="HpkeSuite.MaxExportLength"/>.</exception>
    public void Export(ReadOnlySpan<byte> exporterContext, Span<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (output.Length > HpkeSuite.MaxExportLength)
        {
            throw new ArgumentException($"HPKE exports at most {HpkeSuite.MaxExportLength} bytes.", nameof(output));
        }

        if (!output.IsEmpty)
        {
            HpkeKdf.LabeledExpand(HpkeKdf.HpkeSuiteId, _exporterSecret, "sec"u8, exporterContext, output);
        }
    }

    /// <summary>Derives a secret of <paramref name="length"/> bytes from the context.</summary>
    /// <param name="exporterContext">Distinguishes exported secrets from each other.</param>
    /// <param name="length">The length L, from 0 to <see cref="HpkeSuite.MaxExportLength"/>.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is out of range.</exception>
    public byte[] Export(ReadOnlySpan<byte> exporterContext, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, HpkeSuite.MaxExportLength);
        byte[] output = new byte[length];
        Export(exporterContext, output);
        return output;
    }

    /// <summary>Zeroes the key, nonce and exporter secret.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _aead.Dispose();
        CryptographicOperations.ZeroMemory(_key);
        CryptographicOperations.ZeroMemory(_baseNonce);
        CryptographicOperations.ZeroMemory(_exporterSecret);
    }

    /// <inheritdoc />
    public override string ToString() => $"HpkeContext({(IsSender ? "sender" : "receiver")}, seq {SequenceNumber})";

    /// <summary><c>base_nonce XOR I2OSP(seq, Nn)</c>, refusing the last sequence number.</summary>
    internal void ComputeNonce(Span<byte> nonce)
    {
        if (SequenceNumber == ulong.MaxValue)
        {
            throw new HpkeException(HpkeError.MessageLimitReached, "This HPKE context has used up its sequence numbers.");
        }

        _baseNonce.CopyTo(nonce);
        Span<byte> tail = nonce[(HpkeSuite.NonceSize - sizeof(ulong))..];
        BinaryPrimitives.WriteUInt64BigEndian(tail, BinaryPrimitives.ReadUInt64BigEndian(tail) ^ SequenceNumber);
    }
}
