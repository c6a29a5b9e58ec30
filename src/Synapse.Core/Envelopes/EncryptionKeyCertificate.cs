using System.Buffers;
using System.Security.Cryptography;
using Synapse.Crypto;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Signing;

namespace Synapse.Envelopes;

/// <summary>
/// An X25519 encryption key published by an agent (or a topic's owner), signed with the issuer's Ed25519
/// identity key: what a sender needs to seal an envelope to its <see cref="Subject"/>. An agent hands its
/// certificate out (for example in its agent card); anyone can check it with <see cref="Decode"/>, which
/// verifies the signature, so a certificate object always carries a valid one.
/// </summary>
/// <remarks>
/// <para>
/// Agent ids are Ed25519 keys, which cannot encrypt; converting them to X25519 would need curve arithmetic
/// that this library does not hand-write. So each agent publishes a separate X25519 key and vouches for it
/// with its signature. See <c>docs/envelopes.md</c>.
/// </para>
/// <para>
/// Encoding (MessagePack array, version 1): <c>[1, subject, issuer, key, issued_at, expires_at, signature]</c>,
/// where <c>subject</c> is the 32-byte Ed25519 key of an agent (bin) or a topic name (str), <c>issuer</c> the
/// issuer's Ed25519 key (bin 32), <c>key</c> the X25519 public key (bin 32), the times Unix milliseconds, and
/// <c>signature</c> (bin 64) the issuer's Ed25519 signature over <c>"synapse-encryption-key-v1"</c> followed
/// by every encoded byte before it. For an agent subject the issuer must be that agent; who may issue a
/// topic's key is the application's policy (check <see cref="Issuer"/>).
/// </para>
/// </remarks>
public sealed class EncryptionKeyCertificate
{
    /// <summary>The encoding version.</summary>
    public const int Version = 1;

    /// <summary>The largest encoded certificate <see cref="Decode"/> accepts.</summary>
    public const int MaxEncodedSize = 1024;

    private const int FieldCount = 7;

    private static readonly SignatureDomain Domain = new("synapse-encryption-key-v1", MaxEncodedSize);

    private readonly byte[] _storage;
    private readonly int _length;
    private readonly byte[] _publicKey;

    private EncryptionKeyCertificate(byte[] storage, int length)
    {
        _storage = storage;
        _length = length;
        int prefix = SignatureContext.Length;
        try
        {
            var reader = new MsgPackReader(storage.AsMemory(prefix, length));
            if (reader.ReadArrayHeader() != FieldCount)
            {
                throw EnvelopeWire.Malformed($"a key certificate has {FieldCount} fields.");
            }

            EnvelopeWire.ReadVersion(ref reader, Version, "key certificate");
            Subject = EnvelopeWire.ReadRecipient(ref reader, "certificate subject");
            Issuer = EnvelopeWire.ReadAgent(ref reader, "certificate issuer");
            int keyOffset = EnvelopeWire.ReadFixedBinary(ref reader, X25519.KeySize, "encryption key");
            _publicKey = storage.AsSpan(prefix + keyOffset, X25519.KeySize).ToArray();
            IssuedAt = EnvelopeWire.ReadTimestamp(ref reader, "issue time");
            ExpiresAt = EnvelopeWire.ReadTimestamp(ref reader, "expiry time");
            int signedLength = checked(prefix + (int)reader.Consumed);
            int signatureOffset = EnvelopeWire.ReadFixedBinary(ref reader, Ed25519.SignatureSize, "signature");
            if (!reader.End)
            {
                throw EnvelopeWire.Malformed("trailing bytes after the key certificate.");
            }

            if (Domain.CheckMessage(Issuer, storage.AsSpan(0, signedLength), storage.AsSpan(prefix + signatureOffset, Ed25519.SignatureSize)) != SignatureCheck.Valid)
            {
                throw Invalid($"the signature of {Issuer} does not verify.");
            }
        }
        catch (MsgPackException ex)
        {
            throw EnvelopeWire.Malformed($"key certificate: {ex.Message}", ex);
        }

        if (Subject.IsAgent && Subject.Agent != Issuer)
        {
            throw Invalid($"the key of {Subject} is issued by {Issuer}, not by the agent itself.");
        }

        if (ExpiresAt <= IssuedAt)
        {
            throw Invalid("it expires before it is issued.");
        }
    }

    /// <summary>The domain-separation prefix of the signed message.</summary>
    public static ReadOnlySpan<byte> SignatureContext => Domain.Context;

    /// <summary>Whose key this is: the agent, or the topic, that envelopes sealed to it are addressed to.</summary>
    public Recipient Subject { get; }

    /// <summary>Who signed the certificate (for an agent subject, the agent itself).</summary>
    public AgentId Issuer { get; }

    /// <summary>The X25519 public key to seal envelopes to.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>When the key was issued; it is not valid before (give or take the allowed clock skew).</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>When the key stops being valid for sealing.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The encoded certificate, as <see cref="Decode"/> reads it.</summary>
    public ReadOnlyMemory<byte> Encoded => _storage.AsMemory(SignatureContext.Length, _length);

    /// <summary>Decodes a certificate and verifies its signature.</summary>
    /// <param name="encoded">The bytes from <see cref="Encode"/>.</param>
    /// <returns>The certificate.</returns>
    /// <exception cref="EnvelopeException"><see cref="EnvelopeError.TooLarge"/> over <see cref="MaxEncodedSize"/>,
    /// <see cref="EnvelopeError.Malformed"/>, or <see cref="EnvelopeError.InvalidKeyCertificate"/> when the signature
    /// does not verify or the fields are inconsistent.</exception>
    public static EncryptionKeyCertificate Decode(ReadOnlyMemory<byte> encoded)
    {
        if (encoded.Length > MaxEncodedSize)
        {
            throw new EnvelopeException(EnvelopeError.TooLarge, $"A key certificate of {encoded.Length} bytes exceeds {MaxEncodedSize}.");
        }

        return new EncryptionKeyCertificate(Domain.WithContext(encoded.Span), encoded.Length);
    }

    /// <summary>The encoded certificate in a new array.</summary>
    /// <returns>The bytes.</returns>
    public byte[] Encode() => Encoded.ToArray();

    /// <summary>Whether the certificate is valid at <paramref name="time"/>: not expired, and issued no later than
    /// <paramref name="time"/> plus <paramref name="clockSkew"/>.</summary>
    /// <param name="time">The time to check.</param>
    /// <param name="clockSkew">How far the issuer's clock may be ahead.</param>
    /// <returns>Whether the key may be used.</returns>
    public bool IsValidAt(DateTimeOffset time, TimeSpan clockSkew = default) => time < ExpiresAt && IssuedAt <= time + clockSkew;

    /// <inheritdoc />
    public override string ToString() =>
        $"EncryptionKeyCertificate({Subject}, issued by {Issuer}, {IssuedAt:yyyy-MM-ddTHH:mm:ssZ} to {ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}, key {Convert.ToHexString(_publicKey.AsSpan(0, 4))}…)";

    /// <summary>Signs a new certificate.</summary>
    internal static EncryptionKeyCertificate Issue(AgentIdentity issuer, Recipient subject, ReadOnlySpan<byte> publicKey, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (subject.Kind == RecipientKind.None)
        {
            throw new ArgumentException("The subject is empty.", nameof(subject));
        }

        if (subject.IsAgent && subject.Agent != issuer.Id)
        {
            throw new ArgumentException("An agent's encryption key must be issued by the agent itself.", nameof(subject));
        }

        if (expiresAt <= issuedAt)
        {
            throw new ArgumentException("The certificate must expire after it is issued.", nameof(expiresAt));
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        buffer.Write(SignatureContext);
        var writer = new MsgPackWriter(buffer);
        writer.WriteArrayHeader(FieldCount);
        writer.WriteInt32(Version);
        EnvelopeWire.WriteRecipient(ref writer, subject);
        writer.WriteBinary(issuer.Id.PublicKey);
        writer.WriteBinary(publicKey);
        writer.WriteInt64(issuedAt.ToUnixTimeMilliseconds());
        writer.WriteInt64(expiresAt.ToUnixTimeMilliseconds());
        writer.Flush();

        Span<byte> signature = stackalloc byte[Ed25519.SignatureSize];
        Domain.SignMessage(issuer, buffer.WrittenSpan, signature);
        writer = new MsgPackWriter(buffer);
        writer.WriteBinary(signature);
        writer.Flush();
        byte[] storage = buffer.WrittenSpan.ToArray();
        return new EncryptionKeyCertificate(storage, storage.Length - SignatureContext.Length);
    }

    private static EnvelopeException Invalid(string detail) =>
        new(EnvelopeError.InvalidKeyCertificate, "Invalid key certificate: " + detail);

    /// <summary>Whether the certified key is <paramref name="publicKey"/>.</summary>
    internal bool Certifies(ReadOnlySpan<byte> publicKey) => CryptographicOperations.FixedTimeEquals(publicKey, _publicKey);
}
