using System.Security.Cryptography;
using NSec.Cryptography;

namespace Synapse.Crypto;

/// <summary>
/// X25519 key agreement (RFC 7748) through NSec.Cryptography (libsodium). Private keys are 32 random bytes
/// (clamped by the function, as RFC 7748 specifies); public keys are 32-byte u-coordinates.
/// </summary>
public static class X25519
{
    /// <summary>The size of private keys, public keys and shared secrets.</summary>
    public const int KeySize = 32;

    /// <summary>Generates a random private key and its public key.</summary>
    /// <param name="privateKey">Receives the 32-byte private key.</param>
    /// <param name="publicKey">Receives the 32-byte public key.</param>
    public static void GenerateKeyPair(Span<byte> privateKey, Span<byte> publicKey)
    {
        CryptoArgs.RequireLength(privateKey, KeySize, nameof(privateKey));
        CryptoArgs.RequireLength(publicKey, KeySize, nameof(publicKey));
        RandomNumberGenerator.Fill(privateKey);
        DerivePublicKey(privateKey, publicKey);
    }

    /// <summary>Computes the public key of a private key (X25519 with the base point 9).</summary>
    /// <param name="privateKey">The 32-byte private key.</param>
    /// <param name="publicKey">Receives the 32-byte public key.</param>
    public static void DerivePublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        CryptoArgs.RequireLength(publicKey, KeySize, nameof(publicKey));
        using X25519PrivateKey key = X25519PrivateKey.Create(privateKey);
        key.GetPublicKey(publicKey);
    }

    /// <summary>
    /// Computes the shared secret X25519(<paramref name="privateKey"/>, <paramref name="peerPublicKey"/>).
    /// Returns <see langword="false"/> (and zeroes <paramref name="sharedSecret"/>) when the result is all
    /// zeros, which happens exactly when the peer key is of low order: callers must then reject the peer
    /// (RFC 7748 §6.1, Noise §12.1 and RFC 9180 §7.1.4 all allow or require this check). Any other 32-byte
    /// peer key is accepted; the top bit is ignored and non-canonical u-coordinates are reduced mod p, as
    /// RFC 7748 specifies.
    /// </summary>
    /// <param name="privateKey">The 32-byte private key.</param>
    /// <param name="peerPublicKey">The peer's 32-byte public key.</param>
    /// <param name="sharedSecret">Receives the 32-byte shared secret.</param>
    /// <returns><see langword="false"/> when the shared secret is all zeros.</returns>
    public static bool TryAgree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        CryptoArgs.RequireLength(peerPublicKey, KeySize, nameof(peerPublicKey));
        CryptoArgs.RequireLength(sharedSecret, KeySize, nameof(sharedSecret));
        using X25519PrivateKey key = X25519PrivateKey.Create(privateKey);
        return key.TryAgree(peerPublicKey, sharedSecret);
    }
}

/// <summary>
/// An X25519 private key held by NSec (in libsodium's guarded memory, wiped when freed), for a key used in
/// several agreements (a Noise static or ephemeral key). It never leaves NSec: <see cref="Agree"/> gives an NSec
/// <see cref="SharedSecret"/> that key derivation reads directly; only <see cref="TryAgree"/> copies the raw
/// shared secret out, for callers that must hash it with other bytes (HPKE's labeled extract).
/// </summary>
internal sealed class X25519PrivateKey : IDisposable
{
    private readonly Key _key;
    private bool _disposed;

    private X25519PrivateKey(Key key) => _key = key;

    /// <summary>Creates the key from 32 private key bytes (the caller may zero its copy afterwards).</summary>
    public static X25519PrivateKey Create(ReadOnlySpan<byte> privateKey)
    {
        CryptoArgs.RequireLength(privateKey, X25519.KeySize, nameof(privateKey));
        return new X25519PrivateKey(Key.Import(Sodium.X25519, privateKey, KeyBlobFormat.RawPrivateKey));
    }

    /// <summary>Creates a fresh random key that cannot be exported.</summary>
    public static X25519PrivateKey Generate() => new(Key.Create(Sodium.X25519));

    /// <summary>Writes the raw 32-byte public key.</summary>
    public void GetPublicKey(Span<byte> publicKey)
    {
        CryptoArgs.RequireLength(publicKey, X25519.KeySize, nameof(publicKey));
        ObjectDisposedException.ThrowIf(_disposed, this);
        _key.PublicKey.TryExport(KeyBlobFormat.RawPublicKey, publicKey, out _);
    }

    /// <summary>The shared secret with <paramref name="peerPublicKey"/>, held by NSec; null when it is all zeros (a low-order peer key).</summary>
    public SharedSecret? Agree(ReadOnlySpan<byte> peerPublicKey) => AgreeCore(peerPublicKey, exportable: false);

    /// <summary>As <see cref="X25519.TryAgree"/>: false (output zeroed) when the shared secret is all zeros.</summary>
    public bool TryAgree(ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        CryptoArgs.RequireLength(sharedSecret, X25519.KeySize, nameof(sharedSecret));
        using SharedSecret? secret = AgreeCore(peerPublicKey, exportable: true);
        if (secret is null || !secret.TryExport(SharedSecretBlobFormat.RawSharedSecret, sharedSecret, out int written) || written != X25519.KeySize)
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
            return false;
        }

        return true;
    }

    /// <summary>Frees the key (libsodium wipes it).</summary>
    public void Dispose()
    {
        _disposed = true;
        _key.Dispose();
    }

    private SharedSecret? AgreeCore(ReadOnlySpan<byte> peerPublicKey, bool exportable)
    {
        var parameters = new SharedSecretCreationParameters { ExportPolicy = exportable ? KeyExportPolicies.AllowPlaintextExport : KeyExportPolicies.None };
        CryptoArgs.RequireLength(peerPublicKey, X25519.KeySize, nameof(peerPublicKey));
        KeyAgreementAlgorithm algorithm = Sodium.X25519;
        if (!PublicKey.TryImport(algorithm, peerPublicKey, KeyBlobFormat.RawPublicKey, out PublicKey? peer))
        {
            throw new CryptoBackendException("NSec refused a 32-byte X25519 public key.");
        }

        // libsodium's crypto_scalarmult fails on an all-zero result; NSec then returns null.
        return algorithm.Agree(_key, peer!, in parameters);
    }
}
