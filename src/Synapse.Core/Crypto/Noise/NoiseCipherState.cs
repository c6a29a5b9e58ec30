using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Synapse.Crypto.Noise;

/// <summary>
/// A Noise <c>CipherState</c> (Noise specification revision 34, §5.1) for ChaChaPoly: a key <c>k</c> (possibly
/// empty) and a 64-bit nonce counter <c>n</c>. The 96-bit ChaCha20-Poly1305 nonce is four zero bytes followed
/// by <c>n</c> in little-endian (§12.3).
/// </summary>
/// <remarks>
/// <para>
/// Every successful encryption or decryption with a key increments <c>n</c>; a failed decryption does not.
/// <c>n</c> = 2^64 − 1 is reserved (it is the nonce <see cref="Rekey"/> uses), so once <c>n</c> reaches it
/// every further encryption or decryption fails with a <see cref="NoiseException"/>: nonces are never reused.
/// </para>
/// <para>Not thread-safe. Disposing releases the key.</para>
/// </remarks>
public sealed class NoiseCipherState : IDisposable
{
    /// <summary>The size of a key.</summary>
    public const int KeySize = 32;

    /// <summary>The size of the authentication tag each encryption adds.</summary>
    public const int TagSize = 16;

    /// <summary>The reserved nonce value 2^64 − 1.</summary>
    public const ulong MaxNonce = ulong.MaxValue;

    private ChaCha20Poly1305? _aead;
    private bool _disposed;

    /// <summary>Creates a cipher state with an empty key (<c>InitializeKey(empty)</c>).</summary>
    public NoiseCipherState()
    {
    }

    /// <summary>Creates a cipher state with a key and <c>n</c> = 0.</summary>
    /// <param name="key">The 32-byte key.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes.</exception>
    public NoiseCipherState(ReadOnlySpan<byte> key) => InitializeKey(key);

    /// <summary>Whether the key is non-empty (<c>HasKey()</c>).</summary>
    public bool HasKey => _aead is not null;

    /// <summary>The nonce <c>n</c> the next encryption or decryption will use.</summary>
    public ulong Nonce { get; private set; }

    /// <summary>Sets the key and resets <c>n</c> to zero (<c>InitializeKey(key)</c>); an empty span empties the key.</summary>
    /// <param name="key">A 32-byte key, or empty.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is neither empty nor 32 bytes.</exception>
    public void InitializeKey(ReadOnlySpan<byte> key)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!key.IsEmpty && key.Length != KeySize)
        {
            throw new ArgumentException($"A Noise cipher key is {KeySize} bytes, not {key.Length}.", nameof(key));
        }

        _aead?.Dispose();
        _aead = key.IsEmpty ? null : new ChaCha20Poly1305(key);
        Nonce = 0;
    }

    /// <summary>Sets <c>n</c> (<c>SetNonce(nonce)</c>), for protocols that carry nonces out of band.</summary>
    /// <param name="nonce">The new nonce.</param>
    public void SetNonce(ulong nonce)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Nonce = nonce;
    }

    /// <summary>
    /// <c>EncryptWithAd(ad, plaintext)</c>: with a key, writes <c>ENCRYPT(k, n++, ad, plaintext)</c> (the
    /// plaintext length plus <see cref="TagSize"/> bytes); without one, copies the plaintext.
    /// </summary>
    /// <param name="associatedData">The associated data.</param>
    /// <param name="plaintext">The plaintext.</param>
    /// <param name="ciphertext">Receives the output; must not overlap <paramref name="plaintext"/> unless it starts at the same address.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="ciphertext"/> is too small.</exception>
    /// <exception cref="NoiseException">The nonce is exhausted.</exception>
    public int EncryptWithAd(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int length = checked(plaintext.Length + (HasKey ? TagSize : 0));
        if (ciphertext.Length < length)
        {
            throw new ArgumentException($"The output needs {length} bytes but has {ciphertext.Length}.", nameof(ciphertext));
        }

        if (_aead is null)
        {
            plaintext.CopyTo(ciphertext);
            return length;
        }

        Span<byte> nonce = stackalloc byte[12];
        FormatNonce(nonce);
        _aead.Encrypt(nonce, plaintext, ciphertext[..plaintext.Length], ciphertext.Slice(plaintext.Length, TagSize), associatedData);
        Nonce++;
        return length;
    }

    /// <summary>
    /// <c>DecryptWithAd(ad, ciphertext)</c>: with a key, authenticates and decrypts with <c>n</c> and increments
    /// it; without one, copies the input. On an authentication failure <c>n</c> is unchanged and
    /// <see cref="NoiseAuthenticationException"/> is thrown.
    /// </summary>
    /// <param name="associatedData">The associated data.</param>
    /// <param name="ciphertext">The ciphertext, tag included.</param>
    /// <param name="plaintext">Receives the plaintext; must not overlap <paramref name="ciphertext"/> unless it starts at the same address.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="plaintext"/> is too small.</exception>
    /// <exception cref="NoiseAuthenticationException">The ciphertext does not authenticate.</exception>
    /// <exception cref="NoiseException">The nonce is exhausted.</exception>
    public int DecryptWithAd(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_aead is null)
        {
            if (plaintext.Length < ciphertext.Length)
            {
                throw new ArgumentException($"The output needs {ciphertext.Length} bytes but has {plaintext.Length}.", nameof(plaintext));
            }

            ciphertext.CopyTo(plaintext);
            return ciphertext.Length;
        }

        if (ciphertext.Length < TagSize)
        {
            throw new NoiseAuthenticationException($"A {ciphertext.Length}-byte ciphertext is shorter than the {TagSize}-byte tag.");
        }

        int length = ciphertext.Length - TagSize;
        if (plaintext.Length < length)
        {
            throw new ArgumentException($"The output needs {length} bytes but has {plaintext.Length}.", nameof(plaintext));
        }

        Span<byte> nonce = stackalloc byte[12];
        FormatNonce(nonce);
        try
        {
            _aead.Decrypt(nonce, ciphertext[..length], ciphertext[length..], plaintext[..length], associatedData);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new NoiseAuthenticationException($"The ciphertext with nonce {Nonce} failed authentication.", ex);
        }

        Nonce++;
        return length;
    }

    /// <summary>
    /// <c>Rekey()</c> (§4.2, §5.1): replaces <c>k</c> with the first 32 bytes of <c>ENCRYPT(k, 2^64 − 1, empty,
    /// 32 zero bytes)</c>. <c>n</c> is unchanged. Both parties must rekey at the same point in the message
    /// stream.
    /// </summary>
    /// <exception cref="InvalidOperationException">The key is empty.</exception>
    public void Rekey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_aead is null)
        {
            throw new InvalidOperationException("Rekey needs a key.");
        }

        Span<byte> nonce = stackalloc byte[12];
        nonce.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], MaxNonce);
        Span<byte> zeros = stackalloc byte[KeySize];
        zeros.Clear();
        Span<byte> key = stackalloc byte[KeySize];
        Span<byte> tag = stackalloc byte[TagSize];
        try
        {
            _aead.Encrypt(nonce, zeros, key, tag);
            _aead.Dispose();
            _aead = new ChaCha20Poly1305(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Releases the key.</summary>
    public void Dispose()
    {
        _disposed = true;
        _aead?.Dispose();
        _aead = null;
    }

    /// <inheritdoc />
    public override string ToString() => HasKey ? $"NoiseCipherState(n = {Nonce})" : "NoiseCipherState(no key)";

    private void FormatNonce(Span<byte> nonce)
    {
        if (Nonce == MaxNonce)
        {
            throw new NoiseException("The nonce is exhausted (n reached 2^64 - 1); a new handshake is needed.");
        }

        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], Nonce);
    }
}
