using System.Buffers.Binary;
using System.Security.Cryptography;
using Synapse.Crypto;
using Synapse.Identity;

namespace Synapse.Envelopes;

/// <summary>
/// An X25519 encryption key pair with its <see cref="EncryptionKeyCertificate"/>: what an
/// <see cref="EnvelopeOpener"/> needs to open envelopes sealed to the certificate's subject. Publish the
/// <see cref="Certificate"/>; keep the pair. Disposing zeroes the private key; <see cref="ToString"/> never shows it.
/// </summary>
public sealed class EncryptionKeyPair : IDisposable
{
    private static readonly TimeSpan DefaultLifetimeValue = TimeSpan.FromDays(30);

    private readonly byte[] _privateKey;
    private bool _disposed;

    private EncryptionKeyPair(byte[] privateKey, EncryptionKeyCertificate certificate)
    {
        _privateKey = privateKey;
        Certificate = certificate;
    }

    /// <summary>The lifetime of generated certificates unless another is given: 30 days.</summary>
    public static TimeSpan DefaultLifetime => DefaultLifetimeValue;

    /// <summary>The certificate to hand out to senders.</summary>
    public EncryptionKeyCertificate Certificate { get; }

    /// <summary>The X25519 private key.</summary>
    internal ReadOnlySpan<byte> PrivateKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _privateKey;
        }
    }

    /// <summary>Generates a random encryption key for <paramref name="owner"/> and certifies it.</summary>
    /// <param name="owner">The agent; it signs the certificate and is its subject.</param>
    /// <param name="lifetime">How long the certificate is valid (default <see cref="DefaultLifetime"/>).</param>
    /// <param name="timeProvider">The clock for the issue time (default: the system clock).</param>
    /// <returns>The key pair.</returns>
    public static EncryptionKeyPair Generate(AgentIdentity owner, TimeSpan? lifetime = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return Create(owner, Recipient.ForAgent(owner.Id), Random(), lifetime, timeProvider);
    }

    /// <summary>Generates a random encryption key for a topic, certified by <paramref name="issuer"/> (the topic's
    /// owner). Members who should read the topic receive the private key out of band (see <see cref="FromPrivateKey"/>).</summary>
    /// <param name="issuer">The agent that vouches for the topic key.</param>
    /// <param name="topic">The topic name.</param>
    /// <param name="lifetime">How long the certificate is valid (default <see cref="DefaultLifetime"/>).</param>
    /// <param name="timeProvider">The clock for the issue time (default: the system clock).</param>
    /// <returns>The key pair.</returns>
    public static EncryptionKeyPair GenerateForTopic(AgentIdentity issuer, string topic, TimeSpan? lifetime = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return Create(issuer, Recipient.ForTopic(topic), Random(), lifetime, timeProvider);
    }

    /// <summary>
    /// Derives <paramref name="owner"/>'s encryption key deterministically from its identity seed
    /// (HKDF-SHA256 with the info <c>"synapse-encryption-key-v1" || generation</c>), so it need not be stored
    /// separately: the identity file is enough to recover it. Use a new <paramref name="generation"/> to rotate.
    /// The certificate is new (issued now).
    /// </summary>
    /// <param name="owner">The agent.</param>
    /// <param name="generation">Which key of the sequence.</param>
    /// <param name="lifetime">How long the certificate is valid (default <see cref="DefaultLifetime"/>).</param>
    /// <param name="timeProvider">The clock for the issue time (default: the system clock).</param>
    /// <returns>The key pair.</returns>
    public static EncryptionKeyPair Derive(AgentIdentity owner, uint generation = 0, TimeSpan? lifetime = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        Span<byte> info = stackalloc byte[EncryptionKeyCertificate.SignatureContext.Length + sizeof(uint)];
        EncryptionKeyCertificate.SignatureContext.CopyTo(info);
        BinaryPrimitives.WriteUInt32BigEndian(info[EncryptionKeyCertificate.SignatureContext.Length..], generation);
        byte[] privateKey = new byte[X25519.KeySize];
        Span<byte> seed = stackalloc byte[Ed25519.SeedSize];
        try
        {
            owner.ExportSeed(seed);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, seed, privateKey, default, info);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }

        return Create(owner, Recipient.ForAgent(owner.Id), privateKey, lifetime, timeProvider);
    }

    /// <summary>Rebuilds a key pair from a stored private key and its certificate.</summary>
    /// <param name="privateKey">The X25519 private key (from <see cref="ExportPrivateKey"/>).</param>
    /// <param name="certificate">The certificate of its public key.</param>
    /// <returns>The key pair.</returns>
    /// <exception cref="ArgumentException">The key has the wrong size or does not match the certificate.</exception>
    public static EncryptionKeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey, EncryptionKeyCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (privateKey.Length != X25519.KeySize)
        {
            throw new ArgumentException($"An X25519 private key is {X25519.KeySize} bytes, not {privateKey.Length}.", nameof(privateKey));
        }

        Span<byte> publicKey = stackalloc byte[X25519.KeySize];
        X25519.DerivePublicKey(privateKey, publicKey);
        if (!certificate.Certifies(publicKey))
        {
            throw new ArgumentException("The private key does not belong to the certificate's public key.", nameof(privateKey));
        }

        return new EncryptionKeyPair(privateKey.ToArray(), certificate);
    }

    /// <summary>Copies the private key out, for storage (protect it like the identity key).</summary>
    /// <param name="destination">Receives the 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not 32 bytes.</exception>
    public void ExportPrivateKey(Span<byte> destination)
    {
        if (destination.Length != X25519.KeySize)
        {
            throw new ArgumentException($"The destination must be {X25519.KeySize} bytes.", nameof(destination));
        }

        PrivateKey.CopyTo(destination);
    }

    /// <summary>Zeroes the private key.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_privateKey);
    }

    /// <inheritdoc />
    public override string ToString() => $"EncryptionKeyPair({Certificate.Subject}, expires {Certificate.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ})";

    private static byte[] Random()
    {
        byte[] privateKey = new byte[X25519.KeySize];
        RandomNumberGenerator.Fill(privateKey);
        return privateKey;
    }

    private static EncryptionKeyPair Create(AgentIdentity issuer, Recipient subject, byte[] privateKey, TimeSpan? lifetime, TimeProvider? timeProvider)
    {
        TimeSpan validity = lifetime ?? DefaultLifetimeValue;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validity, TimeSpan.Zero, nameof(lifetime));
        try
        {
            Span<byte> publicKey = stackalloc byte[X25519.KeySize];
            X25519.DerivePublicKey(privateKey, publicKey);
            DateTimeOffset issuedAt = EnvelopeWire.ToMilliseconds((timeProvider ?? TimeProvider.System).GetUtcNow());
            EncryptionKeyCertificate certificate = EncryptionKeyCertificate.Issue(issuer, subject, publicKey, issuedAt, issuedAt + validity);
            return new EncryptionKeyPair(privateKey, certificate);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(privateKey);
            throw;
        }
    }
}
