using System.Security.Cryptography;
using Synapse.Crypto;

namespace Synapse.Identity;

/// <summary>
/// An agent's self-issued identity: an Ed25519 private key (a 32-byte seed) and its public <see cref="Id"/>.
/// The key is held by NSec (libsodium's guarded memory, wiped on <see cref="Dispose"/>) and read back only to
/// write key files and derive encryption keys; <see cref="ToString"/> shows only the id.
/// </summary>
/// <remarks>
/// <para>Key files (<see cref="Save"/>, <see cref="Load"/>) are small JSON documents described in
/// <c>docs/identity.md</c>: format version 1 holds the id and either the seed in base64 or, with a passphrase,
/// the seed encrypted with ChaCha20-Poly1305 under a key derived by PBKDF2-HMAC-SHA256
/// (<see cref="Pbkdf2Iterations"/> iterations, 16-byte random salt, 12-byte random nonce, the id's UTF-8 text as
/// associated data).</para>
/// <para>Thread-safe for concurrent <see cref="Sign(ReadOnlySpan{byte}, Span{byte})"/> calls.</para>
/// </remarks>
public sealed class AgentIdentity : IDisposable
{
    /// <summary>The largest key file <see cref="Load"/> reads (64 KiB); a real one is under 1 KiB.</summary>
    public const int MaxFileSize = 64 * 1024;

    /// <summary>PBKDF2-HMAC-SHA256 iterations used when saving with a passphrase (OWASP's 2023 recommendation).</summary>
    public const int Pbkdf2Iterations = 600_000;

    private readonly Ed25519SigningKey _signingKey;

    private AgentIdentity(ReadOnlySpan<byte> seed)
    {
        _signingKey = Ed25519SigningKey.Create(seed, exportable: true);
        Span<byte> publicKey = stackalloc byte[Ed25519.PublicKeySize];
        _signingKey.GetPublicKey(publicKey);
        Id = AgentId.FromPublicKey(publicKey);
    }

    /// <summary>The public id (<c>did:key:z6Mk…</c>). Still readable after dispose.</summary>
    public AgentId Id { get; }

    /// <summary>A heap copy of the seed, for tests only (product code uses <see cref="ExportSeed"/> and zeroes its copy).</summary>
    internal byte[] Seed
    {
        get
        {
            byte[] seed = new byte[Ed25519.SeedSize];
            ExportSeed(seed);
            return seed;
        }
    }

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    internal bool IsDisposed => _signingKey.IsDisposed;

    /// <summary>Copies the 32-byte seed into <paramref name="seed"/> (for key files and key derivation); the caller zeroes it after use.</summary>
    /// <exception cref="ObjectDisposedException">The identity was disposed.</exception>
    internal void ExportSeed(Span<byte> seed)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        _signingKey.ExportSeed(seed);
    }

    /// <summary>Creates a new identity from a random seed.</summary>
    public static AgentIdentity Generate()
    {
        Span<byte> seed = stackalloc byte[Ed25519.SeedSize];
        try
        {
            RandomNumberGenerator.Fill(seed);
            return new AgentIdentity(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Creates the identity of a known 32-byte seed (copied; the caller may zero its own copy).</summary>
    /// <param name="seed">The Ed25519 seed.</param>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static AgentIdentity FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519.SeedSize)
        {
            throw new ArgumentException($"An Ed25519 seed is {Ed25519.SeedSize} bytes, not {seed.Length}.", nameof(seed));
        }

        return new AgentIdentity(seed);
    }

    /// <summary>Signs <paramref name="message"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="signature">Receives the 64-byte signature (exactly <see cref="Ed25519.SignatureSize"/> bytes).</param>
    /// <exception cref="ObjectDisposedException">The identity was disposed.</exception>
    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        _signingKey.Sign(message, signature);
    }

    /// <summary>Signs <paramref name="message"/>.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The 64-byte signature.</returns>
    /// <exception cref="ObjectDisposedException">The identity was disposed.</exception>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Sign(message, signature);
        return signature;
    }

    /// <summary>
    /// Saves the identity to a key file, created with owner-only permissions (0600 on Unix; on Windows the file
    /// inherits its directory's access rules) and written atomically: a temporary file in the same directory,
    /// flushed to disk, then renamed over <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The key file.</param>
    /// <param name="passphrase">When given, the seed is encrypted (PBKDF2-HMAC-SHA256 with
    /// <see cref="Pbkdf2Iterations"/> iterations, then ChaCha20-Poly1305); when null it is stored in base64.
    /// The passphrase is used as its UTF-8 bytes, without Unicode normalisation.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> or <paramref name="passphrase"/> is empty.</exception>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or writing failed.</exception>
    /// <exception cref="ObjectDisposedException">The identity was disposed.</exception>
    public void Save(string path, string? passphrase = null, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (passphrase is { Length: 0 })
        {
            throw new ArgumentException("An empty passphrase protects nothing; pass null to save the key unencrypted.", nameof(passphrase));
        }

        ObjectDisposedException.ThrowIf(IsDisposed, this);
        IdentityFile.Save(this, Path.GetFullPath(path), passphrase, overwrite);
    }

    /// <summary>Loads an identity from a key file written by <see cref="Save"/>.</summary>
    /// <param name="path">The key file.</param>
    /// <param name="passphrase">The passphrase, when the key is encrypted; null otherwise.</param>
    /// <returns>The identity.</returns>
    /// <exception cref="IdentityFileException">The file is too large, corrupted (not JSON, a bad or missing field,
    /// an id that does not match the key), of an unsupported version, encrypted and no passphrase was given, not
    /// encrypted but a passphrase was given, the passphrase is wrong, or (on Unix) other users may access the file. See <see cref="IdentityFileException.Error"/>.</exception>
    /// <exception cref="IOException">The file cannot be read (e.g. <see cref="FileNotFoundException"/>).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static AgentIdentity Load(string path, string? passphrase = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var seed = new SecretBuffer(Ed25519.SeedSize);
        AgentId claimed = IdentityFile.Load(Path.GetFullPath(path), passphrase, seed.Span);
        var identity = new AgentIdentity(seed.Span);
        if (identity.Id != claimed)
        {
            identity.Dispose();
            throw new IdentityFileException(Path.GetFullPath(path), IdentityFileError.Corrupted, "the 'id' does not match the key in the file");
        }

        return identity;
    }

    /// <summary>Frees the key (libsodium wipes it). Idempotent. <see cref="Id"/> stays readable.</summary>
    public void Dispose() => _signingKey.Dispose();

    /// <summary>Shows the id only, e.g. <c>AgentIdentity(did:key:z6Mk…)</c>.</summary>
    public override string ToString() => $"AgentIdentity({Id})";
}
