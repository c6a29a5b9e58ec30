using System.Security.Cryptography;
using SharedSecret = NSec.Cryptography.SharedSecret;
using KeyDerivationAlgorithm2 = NSec.Cryptography.KeyDerivationAlgorithm2;

namespace Synapse.Crypto.Noise;

/// <summary>
/// A Noise <c>SymmetricState</c> (revision 34, §5.2) for SHA256: the chaining key <c>ck</c>, the handshake hash
/// <c>h</c>, and a <see cref="NoiseCipherState"/>. HASHLEN is 32, so no key truncation is ever needed.
/// </summary>
internal sealed class NoiseSymmetricState : IDisposable
{
    public const int HashLength = 32;

    private readonly NoiseCipherState _cipher = new();
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _ck = new byte[HashLength];
    private readonly byte[] _h = new byte[HashLength];

    /// <summary><c>InitializeSymmetric(protocol_name)</c>.</summary>
    public NoiseSymmetricState(ReadOnlySpan<byte> protocolName)
    {
        if (protocolName.Length <= HashLength)
        {
            protocolName.CopyTo(_h);
        }
        else
        {
            SHA256.HashData(protocolName, _h);
        }

        _h.CopyTo(_ck, 0);
    }

    public bool HasKey => _cipher.HasKey;

    /// <summary>The handshake hash <c>h</c>.</summary>
    public ReadOnlySpan<byte> HandshakeHash => _h;

    /// <summary><c>MixKey(input_key_material)</c>: <c>ck, temp_k = HKDF(ck, ikm, 2)</c>; <c>InitializeKey(temp_k)</c>.</summary>
    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> tempK = stackalloc byte[HashLength];
        try
        {
            Hkdf(_ck, inputKeyMaterial, _ck, tempK, default);
            _cipher.InitializeKey(tempK);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tempK);
        }
    }

    /// <summary>
    /// <c>MixKey(DH(...))</c> for a Diffie-Hellman output held by NSec, which never leaves it: Noise's
    /// <c>HKDF(ck, ikm, 2)</c> is exactly RFC 5869's HKDF-SHA256 with salt <c>ck</c> and empty info
    /// (<c>temp_key = HMAC(ck, ikm)</c> is Extract; <c>output1 || output2</c> are the first 64 bytes of Expand).
    /// </summary>
    public void MixKey(SharedSecret dhOutput)
    {
        Span<byte> tempKey = stackalloc byte[HashLength];
        Span<byte> outputs = stackalloc byte[2 * HashLength];
        try
        {
            KeyDerivationAlgorithm2 hkdf = Sodium.HkdfSha256;
            hkdf.Extract(dhOutput, _ck, tempKey);
            hkdf.Expand(tempKey, default, outputs);
            outputs[..HashLength].CopyTo(_ck);
            _cipher.InitializeKey(outputs[HashLength..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tempKey);
            CryptographicOperations.ZeroMemory(outputs);
        }
    }

    /// <summary><c>MixHash(data)</c>: <c>h = HASH(h || data)</c>.</summary>
    public void MixHash(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(_h);
        _hash.AppendData(data);
        _hash.GetHashAndReset(_h);
    }

    /// <summary><c>MixKeyAndHash(input_key_material)</c>: <c>ck, temp_h, temp_k = HKDF(ck, ikm, 3)</c>; <c>MixHash(temp_h)</c>; <c>InitializeKey(temp_k)</c>.</summary>
    public void MixKeyAndHash(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> tempH = stackalloc byte[HashLength];
        Span<byte> tempK = stackalloc byte[HashLength];
        try
        {
            Hkdf(_ck, inputKeyMaterial, _ck, tempH, tempK);
            MixHash(tempH);
            _cipher.InitializeKey(tempK);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tempH);
            CryptographicOperations.ZeroMemory(tempK);
        }
    }

    /// <summary>The output size of <see cref="EncryptAndHash"/> for a plaintext of <paramref name="length"/> bytes.</summary>
    public int EncryptedLength(int length) => HasKey ? length + NoiseCipherState.TagSize : length;

    /// <summary><c>EncryptAndHash(plaintext)</c>: <c>ciphertext = EncryptWithAd(h, plaintext)</c>; <c>MixHash(ciphertext)</c>.</summary>
    public int EncryptAndHash(ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        int written = _cipher.EncryptWithAd(_h, plaintext, ciphertext);
        MixHash(ciphertext[..written]);
        return written;
    }

    /// <summary><c>DecryptAndHash(ciphertext)</c>: <c>plaintext = DecryptWithAd(h, ciphertext)</c>; <c>MixHash(ciphertext)</c>.</summary>
    public int DecryptAndHash(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        int written = _cipher.DecryptWithAd(_h, ciphertext, plaintext);
        MixHash(ciphertext);
        return written;
    }

    /// <summary><c>Split()</c>: <c>temp_k1, temp_k2 = HKDF(ck, zerolen, 2)</c>; two cipher states keyed with them.</summary>
    public (NoiseCipherState Initiator, NoiseCipherState Responder) Split()
    {
        Span<byte> k1 = stackalloc byte[HashLength];
        Span<byte> k2 = stackalloc byte[HashLength];
        try
        {
            Hkdf(_ck, default, k1, k2, default);
            return (new NoiseCipherState(k1), new NoiseCipherState(k2));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k1);
            CryptographicOperations.ZeroMemory(k2);
        }
    }

    public void Dispose()
    {
        _cipher.Dispose();
        _hash.Dispose();
        CryptographicOperations.ZeroMemory(_ck);
        CryptographicOperations.ZeroMemory(_h);
    }

    /// <summary>
    /// <c>HKDF(chaining_key, input_key_material, num_outputs)</c> of §4.3: <c>temp_key = HMAC(ck, ikm)</c>,
    /// <c>output1 = HMAC(temp_key, 0x01)</c>, <c>output2 = HMAC(temp_key, output1 || 0x02)</c>, and when
    /// <paramref name="output3"/> is non-empty <c>output3 = HMAC(temp_key, output2 || 0x03)</c>.
    /// <paramref name="output1"/> may alias <paramref name="chainingKey"/>.
    /// </summary>
    internal static void Hkdf(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial, Span<byte> output1, Span<byte> output2, Span<byte> output3)
    {
        Span<byte> tempKey = stackalloc byte[HashLength];
        Span<byte> block = stackalloc byte[HashLength + 1];
        try
        {
            HMACSHA256.HashData(chainingKey, inputKeyMaterial, tempKey);
            ReadOnlySpan<byte> one = [0x01];
            HMACSHA256.HashData(tempKey, one, block[..HashLength]);
            block[..HashLength].CopyTo(output1);
            block[HashLength] = 0x02;
            HMACSHA256.HashData(tempKey, block, output2);
            if (!output3.IsEmpty)
            {
                output2.CopyTo(block);
                block[HashLength] = 0x03;
                HMACSHA256.HashData(tempKey, block, output3);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tempKey);
            CryptographicOperations.ZeroMemory(block);
        }
    }
}
