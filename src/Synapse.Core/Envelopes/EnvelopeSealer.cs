using System.Text;
using Synapse.Crypto;
using Synapse.Crypto.Hpke;
using Synapse.Identity;
using Synapse.MessagePack;

namespace Synapse.Envelopes;

/// <summary>Seals payloads into <see cref="SealedEnvelope"/>s.</summary>
public static class EnvelopeSealer
{
    /// <summary>How far ahead of the sealer's clock a certificate's issue time may be.</summary>
    internal static readonly TimeSpan CertificateClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Encrypts <paramref name="payload"/> to the key certified by <paramref name="recipientKey"/> (HPKE base mode)
    /// and signs the envelope with <paramref name="sender"/>'s identity. The envelope is addressed to the
    /// certificate's subject, gets a fresh message id and the current time.
    /// </summary>
    /// <param name="sender">The sending agent.</param>
    /// <param name="recipientKey">The recipient's encryption key certificate (already verified by
    /// <see cref="EncryptionKeyCertificate.Decode"/>).</param>
    /// <param name="payload">The plaintext.</param>
    /// <param name="timeProvider">The clock for the timestamp and the certificate check (default: the system clock).</param>
    /// <param name="limits">Size limits (default <see cref="EnvelopeLimits.Default"/>).</param>
    /// <returns>The envelope.</returns>
    /// <exception cref="EnvelopeException"><see cref="EnvelopeError.TooLarge"/> for a payload over the limit;
    /// <see cref="EnvelopeError.InvalidKeyCertificate"/> when the certificate is expired, not yet valid, or its key
    /// is unusable.</exception>
    public static SealedEnvelope Seal(
        AgentIdentity sender,
        EncryptionKeyCertificate recipientKey,
        ReadOnlySpan<byte> payload,
        TimeProvider? timeProvider = null,
        EnvelopeLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(recipientKey);
        DateTimeOffset now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        if (!recipientKey.IsValidAt(now, CertificateClockSkew))
        {
            throw new EnvelopeException(EnvelopeError.InvalidKeyCertificate, now >= recipientKey.ExpiresAt
                ? $"The encryption key of {recipientKey.Subject} expired at {recipientKey.ExpiresAt:O}."
                : $"The encryption key of {recipientKey.Subject} is not valid before {recipientKey.IssuedAt:O}.");
        }

        return Seal(sender, sender.Id, recipientKey, payload, Guid.CreateVersion7(now), now, limits ?? EnvelopeLimits.Default);
    }

    /// <summary>
    /// The sealing itself, with every input explicit. <paramref name="signer"/> normally is the identity of
    /// <paramref name="claimedSender"/>; tests pass another to forge an envelope.
    /// </summary>
    internal static SealedEnvelope Seal(
        AgentIdentity signer,
        AgentId claimedSender,
        EncryptionKeyCertificate recipientKey,
        ReadOnlySpan<byte> payload,
        Guid messageId,
        DateTimeOffset timestamp,
        EnvelopeLimits limits)
    {
        if (payload.Length > limits.MaxPayloadSize)
        {
            throw new EnvelopeException(EnvelopeError.TooLarge, $"A payload of {payload.Length} bytes exceeds {limits.MaxPayloadSize}.");
        }

        Recipient recipient = recipientKey.Subject;
        int prefix = SealedEnvelope.SignatureContext.Length;
        int ciphertextLength = payload.Length + HpkeSuite.TagSize;
        int topicLength = recipient.IsTopic ? Encoding.UTF8.GetByteCount(recipient.Topic) : 0;

        // One buffer for the signed message (context + encoding); the writer's reservations are covered by the
        // allowance, and the envelope keeps the exact length.
        byte[] storage = new byte[prefix + EnvelopeLimits.Overhead + (3 * topicLength) + ciphertextLength];
        var output = new FixedArrayWriter(storage);
        output.Write(SealedEnvelope.SignatureContext);

        Span<byte> id = stackalloc byte[16];
        messageId.TryWriteBytes(id, bigEndian: true, out _);
        var writer = new MsgPackWriter(output);
        writer.WriteArrayHeader(8);
        writer.WriteInt32(SealedEnvelope.Version);
        writer.WriteBinary(claimedSender.PublicKey);
        EnvelopeWire.WriteRecipient(ref writer, recipient);
        writer.WriteBinary(id);
        writer.WriteInt64(timestamp.ToUnixTimeMilliseconds());
        writer.Flush();
        int headerEnd = output.WrittenCount;

        Span<byte> enc = stackalloc byte[HpkeSuite.KeySize];
        HpkeContext context;
        try
        {
            context = HpkeSuite.SetupBaseSender(recipientKey.PublicKey, SealedEnvelope.SignatureContext, enc);
        }
        catch (HpkeException ex)
        {
            throw new EnvelopeException(EnvelopeError.InvalidKeyCertificate, $"The encryption key of {recipient} is unusable: {ex.Message}", ex);
        }

        using (context)
        {
            writer = new MsgPackWriter(output);
            writer.WriteBinary(enc);
            writer.Flush();
            Span<byte> header = output.GetSpan(5);
            MsgPackPrimitives.TryWriteBinaryHeader(header, (uint)ciphertextLength, out int headerLength);
            output.Advance(headerLength);
            context.Seal(storage.AsSpan(0, headerEnd), payload, output.GetSpan(ciphertextLength));
            output.Advance(ciphertextLength);
        }

        Span<byte> signature = stackalloc byte[Ed25519.SignatureSize];
        SealedEnvelope.Domain.SignMessage(signer, storage.AsSpan(0, output.WrittenCount), signature);
        writer = new MsgPackWriter(output);
        writer.WriteBinary(signature);
        writer.Flush();
        return SealedEnvelope.FromSealer(storage, output.WrittenCount - prefix, limits);
    }
}
