using System.Security.Cryptography;
using NSec.Cryptography;

namespace Synapse.Crypto;

/// <summary>
/// Ed25519 signatures (RFC 8032, pure EdDSA) through NSec.Cryptography (libsodium). Private keys are 32-byte
/// seeds. Verification is libsodium's: it rejects non-canonical <c>S</c> (≥ L), signatures whose <c>R</c> does
/// not match the recomputed encoding, and small-order or non-canonical <c>R</c> and public keys, as the
/// Wycheproof vectors demand.
/// </summary>
public static class Ed25519
{
    /// <summary>The size of a private key seed.</summary>
    public const int SeedSize = 32;

    /// <summary>The size of an encoded public key.</summary>
    public const int PublicKeySize = 32;

    /// <summary>The size of a signature.</summary>
    public const int SignatureSize = 64;

    /// <summary>Generates a random seed and its public key.</summary>
    /// <param name="seed">Receives the 32-byte seed (exactly <see cref="SeedSize"/> bytes).</param>
    /// <param name="publicKey">Receives the 32-byte public key (exactly <see cref="PublicKeySize"/> bytes).</param>
    public static void GenerateKeyPair(Span<byte> seed, Span<byte> publicKey)
    {
        CryptoArgs.RequireLength(seed, SeedSize, nameof(seed));
        CryptoArgs.RequireLength(publicKey, PublicKeySize, nameof(publicKey));
        RandomNumberGenerator.Fill(seed);
        DerivePublicKey(seed, publicKey);
    }

    /// <summary>Computes the public key of a seed.</summary>
    /// <param name="seed">The 32-byte seed.</param>
    /// <param name="publicKey">Receives the 32-byte public key.</param>
    public static void DerivePublicKey(ReadOnlySpan<byte> seed, Span<byte> publicKey)
    {
        CryptoArgs.RequireLength(publicKey, PublicKeySize, nameof(publicKey));
        using Ed25519SigningKey key = Ed25519SigningKey.Create(seed);
        key.GetPublicKey(publicKey);
    }

    /// <summary>Signs <paramref name="message"/> with the key of <paramref name="seed"/>.</summary>
    /// <param name="seed">The 32-byte seed.</param>
    /// <param name="message">The message (any length).</param>
    /// <param name="signature">Receives the 64-byte signature (exactly <see cref="SignatureSize"/> bytes).</param>
    public static void Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        CryptoArgs.RequireLength(signature, SignatureSize, nameof(signature));
        using Ed25519SigningKey key = Ed25519SigningKey.Create(seed);
        key.Sign(message, signature);
    }

    /// <summary>
    /// Verifies a signature. Never throws on malformed input: a public key or signature of the wrong length,
    /// a public key that is not a curve point, or a non-canonical encoding all give <see langword="false"/>.
    /// </summary>
    /// <param name="publicKey">The 32-byte public key.</param>
    /// <param name="message">The signed message.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns>Whether the signature is valid for the message under the key.</returns>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        SignatureAlgorithm algorithm = Sodium.Ed25519;
        return PublicKey.TryImport(algorithm, publicKey, KeyBlobFormat.RawPublicKey, out PublicKey? key)
            && algorithm.Verify(key!, message, signature);
    }
}

/// <summary>
/// An Ed25519 private key held by NSec (in libsodium's guarded memory, wiped when freed), for signing many
/// messages without re-importing the key each time. The seed can be read back only from a key created
/// <c>exportable</c> (an identity that writes key files).
/// </summary>
internal sealed class Ed25519SigningKey : IDisposable
{
    private readonly Key _key;

    private Ed25519SigningKey(Key key) => _key = key;

    /// <summary>Creates the key from a 32-byte seed (the caller may zero its copy afterwards).</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="exportable">Whether <see cref="ExportSeed"/> is allowed.</param>
    public static Ed25519SigningKey Create(ReadOnlySpan<byte> seed, bool exportable = false)
    {
        CryptoArgs.RequireLength(seed, Ed25519.SeedSize, nameof(seed));
        var parameters = new KeyCreationParameters { ExportPolicy = exportable ? KeyExportPolicies.AllowPlaintextExport : KeyExportPolicies.None };
        return new Ed25519SigningKey(Key.Import(Sodium.Ed25519, seed, KeyBlobFormat.RawPrivateKey, in parameters));
    }

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Writes the raw 32-byte public key.</summary>
    public void GetPublicKey(Span<byte> publicKey)
    {
        CryptoArgs.RequireLength(publicKey, Ed25519.PublicKeySize, nameof(publicKey));
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        _key.PublicKey.TryExport(KeyBlobFormat.RawPublicKey, publicKey, out _);
    }

    /// <summary>Signs <paramref name="message"/> into the 64-byte <paramref name="signature"/>.</summary>
    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        CryptoArgs.RequireLength(signature, Ed25519.SignatureSize, nameof(signature));
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        Sodium.Ed25519.Sign(_key, message, signature);
    }

    /// <summary>Copies the 32-byte seed out (for key files and key derivation); the caller zeroes its copy.</summary>
    /// <exception cref="InvalidOperationException">The key was not created exportable.</exception>
    public void ExportSeed(Span<byte> seed)
    {
        CryptoArgs.RequireLength(seed, Ed25519.SeedSize, nameof(seed));
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!_key.TryExport(KeyBlobFormat.RawPrivateKey, seed, out int written) || written != Ed25519.SeedSize)
        {
            throw new CryptoBackendException("NSec did not export the Ed25519 seed.");
        }
    }

    /// <summary>Frees the key (libsodium wipes it).</summary>
    public void Dispose()
    {
        IsDisposed = true;
        _key.Dispose();
    }
}
