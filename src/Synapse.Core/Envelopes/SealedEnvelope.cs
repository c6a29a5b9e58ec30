using Synapse.Crypto;
using Synapse.Crypto.Hpke;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Signing;

namespace Synapse.Envelopes;

/// <summary>
/// A sealed, signed envelope: a payload encrypted to one recipient (an agent or a topic) with HPKE, and signed
/// by its sender, so it can travel through untrusted relays. <see cref="Decode"/> exposes exactly what a relay
/// needs to route it — <see cref="Sender"/>, <see cref="Recipient"/>, <see cref="MessageId"/>,
/// <see cref="Timestamp"/> and the sizes — and nothing of the payload; <see cref="EnvelopeOpener"/> opens it.
/// </summary>
/// <remarks>
/// <para>
/// Encoding (MessagePack array, version 1):
/// <c>[1, sender, recipient, message_id, timestamp, enc, ciphertext, signature]</c> — <c>sender</c> the sender's
/// Ed25519 key (bin 32); <c>recipient</c> an agent's Ed25519 key (bin 32) or a topic name (str);
/// <c>message_id</c> 16 bytes (bin); <c>timestamp</c> Unix milliseconds (int); <c>enc</c> the HPKE encapsulated
/// key (bin 32); <c>ciphertext</c> the HPKE ciphertext (bin, payload + 16 bytes); <c>signature</c> (bin 64) the
/// sender's Ed25519 signature over <c>"synapse-envelope-v1"</c> followed by every encoded byte before it.
/// </para>
/// <para>
/// The payload is sealed with HPKE base mode (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305) to
/// the recipient's certified encryption key, with <c>info</c> = <c>"synapse-envelope-v1"</c> and, as associated
/// data, <c>"synapse-envelope-v1"</c> followed by the encoded header (array header through timestamp), so the
/// ciphertext cannot be moved under another sender, recipient, id or time even by someone who re-signs it.
/// The sender writes the one canonical encoding and signs its exact bytes; any other encoding fails the check.
/// </para>
/// </remarks>
public sealed class SealedEnvelope
{
    /// <summary>The encoding version.</summary>
    public const int Version = 1;

    private const int FieldCount = 8;

    private readonly byte[] _storage;
    private readonly int _length;
    private readonly int _headerEnd;
    private readonly int _encOffset;
    private readonly int _ciphertextOffset;
    private readonly int _ciphertextLength;
    private readonly int _signedEnd;
    private readonly int _signatureOffset;

    /// <summary>Parses <paramref name="length"/> bytes of <paramref name="storage"/> after the signature context.</summary>
    private SealedEnvelope(byte[] storage, int length, EnvelopeLimits limits)
    {
        _storage = storage;
        _length = length;
        int prefix = SignatureContext.Length;
        try
        {
            var reader = new MsgPackReader(storage.AsMemory(prefix, length));
            int count = reader.ReadArrayHeader();
            if (count != FieldCount)
            {
                throw EnvelopeWire.Malformed($"an envelope has {FieldCount} fields, not {count}.");
            }

            EnvelopeWire.ReadVersion(ref reader, Version, "envelope");
            Sender = EnvelopeWire.ReadAgent(ref reader, "sender");
            Recipient = EnvelopeWire.ReadRecipient(ref reader, "recipient");
            int idOffset = EnvelopeWire.ReadFixedBinary(ref reader, 16, "message id");
            MessageId = new Guid(storage.AsSpan(prefix + idOffset, 16), bigEndian: true);
            Timestamp = EnvelopeWire.ReadTimestamp(ref reader, "timestamp");
            _headerEnd = checked(prefix + (int)reader.Consumed);
            _encOffset = prefix + EnvelopeWire.ReadFixedBinary(ref reader, HpkeSuite.KeySize, "encapsulated key");
            (int ciphertextOffset, _ciphertextLength) = EnvelopeWire.ReadBinary(ref reader);
            _ciphertextOffset = prefix + ciphertextOffset;
            if (_ciphertextLength < HpkeSuite.TagSize)
            {
                throw EnvelopeWire.Malformed($"the ciphertext is {_ciphertextLength} bytes, shorter than its tag.");
            }

            if (_ciphertextLength - HpkeSuite.TagSize > limits.MaxPayloadSize)
            {
                throw new EnvelopeException(EnvelopeError.TooLarge, $"The payload of {_ciphertextLength - HpkeSuite.TagSize} bytes exceeds {limits.MaxPayloadSize}.");
            }

            _signedEnd = checked(prefix + (int)reader.Consumed);
            _signatureOffset = prefix + EnvelopeWire.ReadFixedBinary(ref reader, Ed25519.SignatureSize, "signature");
            if (!reader.End)
            {
                throw EnvelopeWire.Malformed($"{reader.Remaining} trailing bytes after the envelope.");
            }
        }
        catch (MsgPackException ex)
        {
            throw EnvelopeWire.Malformed(ex.Message, ex);
        }
    }

    /// <summary>The domain-separation prefix of the signed message, the HPKE <c>info</c> and the associated data.</summary>
    public static ReadOnlySpan<byte> SignatureContext => Domain.Context;

    /// <summary>The envelopes' signature domain; its size bound is the largest <see cref="EnvelopeLimits"/> allow,
    /// the configured limits being checked on decoding.</summary>
    internal static SignatureDomain Domain { get; } = new("synapse-envelope-v1", (1 << 30) + EnvelopeLimits.Overhead);

    /// <summary>The claimed sender (proven by <see cref="VerifySignature"/>).</summary>
    public AgentId Sender { get; }

    /// <summary>The addressee: an agent or a topic.</summary>
    public Recipient Recipient { get; }

    /// <summary>The message id: 16 bytes chosen by the sender (a version 7 UUID, so ids sort by time).</summary>
    public Guid MessageId { get; }

    /// <summary>When the sender sealed it (millisecond precision).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The size of the encoded envelope.</summary>
    public int EncodedLength => _length;

    /// <summary>The size of the (encrypted) payload.</summary>
    public int PayloadLength => _ciphertextLength - HpkeSuite.TagSize;

    /// <summary>The encoded envelope, to forward as is.</summary>
    public ReadOnlyMemory<byte> Encoded => _storage.AsMemory(SignatureContext.Length, _length);

    /// <summary>The HPKE encapsulated key.</summary>
    internal ReadOnlySpan<byte> EncapsulatedKey => _storage.AsSpan(_encOffset, HpkeSuite.KeySize);

    /// <summary>The HPKE ciphertext.</summary>
    internal ReadOnlySpan<byte> Ciphertext => _storage.AsSpan(_ciphertextOffset, _ciphertextLength);

    /// <summary>The HPKE associated data: the signature context and the encoded header.</summary>
    internal ReadOnlySpan<byte> AssociatedData => _storage.AsSpan(0, _headerEnd);

    /// <summary>The signed message: the signature context and everything before the signature.</summary>
    internal ReadOnlySpan<byte> SignedMessage => _storage.AsSpan(0, _signedEnd);

    /// <summary>The sender's signature.</summary>
    internal ReadOnlySpan<byte> Signature => _storage.AsSpan(_signatureOffset, Ed25519.SignatureSize);

    /// <summary>
    /// Decodes an envelope without any key: the routing fields become readable, the payload stays sealed. The
    /// signature is not checked (see <see cref="VerifySignature"/>).
    /// </summary>
    /// <param name="encoded">The encoded envelope.</param>
    /// <param name="limits">Size limits (default <see cref="EnvelopeLimits.Default"/>); checked before anything is allocated.</param>
    /// <returns>The envelope.</returns>
    /// <exception cref="EnvelopeException"><see cref="EnvelopeError.TooLarge"/> or <see cref="EnvelopeError.Malformed"/>.</exception>
    public static SealedEnvelope Decode(ReadOnlyMemory<byte> encoded, EnvelopeLimits? limits = null)
    {
        limits ??= EnvelopeLimits.Default;
        if (encoded.Length > limits.MaxEncodedSize)
        {
            throw new EnvelopeException(EnvelopeError.TooLarge, $"An envelope of {encoded.Length} bytes exceeds {limits.MaxEncodedSize}.");
        }

        return new SealedEnvelope(Domain.WithContext(encoded.Span), encoded.Length, limits);
    }

    /// <summary>Wraps an encoding the sealer just built in <paramref name="storage"/>.</summary>
    internal static SealedEnvelope FromSealer(byte[] storage, int length, EnvelopeLimits limits) => new(storage, length, limits);

    /// <summary>The encoded envelope in a new array.</summary>
    /// <returns>The bytes.</returns>
    public byte[] Encode() => Encoded.ToArray();

    /// <summary>Whether the signature verifies under <see cref="Sender"/>'s key. Needs no secret, so relays can
    /// drop forgeries early.</summary>
    /// <returns>Whether the sender signed exactly these bytes.</returns>
    public bool VerifySignature() => Domain.CheckMessage(Sender, SignedMessage, Signature) == SignatureCheck.Valid;

    /// <inheritdoc />
    public override string ToString() =>
        $"SealedEnvelope({MessageId} from {Sender} to {Recipient} at {Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ}, {PayloadLength} bytes)";
}
