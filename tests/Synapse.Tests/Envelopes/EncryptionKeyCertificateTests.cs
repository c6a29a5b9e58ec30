using System.Buffers;
using Synapse.Crypto;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.MessagePack;

namespace Synapse.Tests.Envelopes;

public class EncryptionKeyCertificateTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_certificate_round_trips_and_describes_the_key()
    {
        using AgentIdentity bob = AgentIdentity.Generate();
        using EncryptionKeyPair key = EncryptionKeyPair.Generate(bob, TimeSpan.FromDays(7), new ManualTimeProvider(Start.AddTicks(5_000)));
        EncryptionKeyCertificate decoded = EncryptionKeyCertificate.Decode(key.Certificate.Encode());
        Assert.True(decoded.Subject.Is(bob.Id));
        Assert.Equal(bob.Id, decoded.Issuer);
        Assert.Equal(key.Certificate.PublicKey.ToArray(), decoded.PublicKey.ToArray());
        Assert.Equal(Start, decoded.IssuedAt);
        Assert.Equal(Start + TimeSpan.FromDays(7), decoded.ExpiresAt);
        Assert.Equal(key.Certificate.Encode(), decoded.Encode());

        byte[] privateKey = new byte[X25519.KeySize];
        key.ExportPrivateKey(privateKey);
        byte[] publicKey = new byte[X25519.KeySize];
        X25519.DerivePublicKey(privateKey, publicKey);
        Assert.Equal(publicKey, decoded.PublicKey.ToArray());

        Assert.True(decoded.IsValidAt(Start));
        Assert.False(decoded.IsValidAt(Start - TimeSpan.FromSeconds(1)));
        Assert.True(decoded.IsValidAt(Start - TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)));
        Assert.False(decoded.IsValidAt(decoded.ExpiresAt));
    }

    [Fact]
    public void A_certificate_with_any_flipped_bit_is_refused()
    {
        using AgentIdentity bob = AgentIdentity.Generate();
        using EncryptionKeyPair key = EncryptionKeyPair.Generate(bob);
        byte[] encoded = key.Certificate.Encode();
        for (int bit = 0; bit < encoded.Length * 8; bit++)
        {
            byte[] tampered = (byte[])encoded.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            EnvelopeException ex = Assert.IsType<EnvelopeException>(Record.Exception(() => EncryptionKeyCertificate.Decode(tampered)));
            Assert.Contains(ex.Reason, (EnvelopeError[])[EnvelopeError.Malformed, EnvelopeError.InvalidKeyCertificate]);
        }
    }

    [Fact]
    public void A_certificate_signed_by_someone_else_is_refused()
    {
        using AgentIdentity bob = AgentIdentity.Generate();
        using AgentIdentity mallory = AgentIdentity.Generate();
        byte[] x25519 = new byte[32];
        X25519.GenerateKeyPair(new byte[32], x25519);

        // Claims to be Bob's (issuer Bob), signed by Mallory.
        byte[] claimed = Build(bob.Id.PublicKey, bob.Id.PublicKey, x25519, mallory);
        EnvelopeException bad = Assert.Throws<EnvelopeException>(() => EncryptionKeyCertificate.Decode(claimed));
        Assert.Equal(EnvelopeError.InvalidKeyCertificate, bad.Reason);
        Assert.Contains("signature", bad.Message, StringComparison.Ordinal);

        // Honestly signed by Mallory, but for Bob's id: an agent's key must be self-issued.
        byte[] foreign = Build(bob.Id.PublicKey, mallory.Id.PublicKey, x25519, mallory);
        EnvelopeException wrongIssuer = Assert.Throws<EnvelopeException>(() => EncryptionKeyCertificate.Decode(foreign));
        Assert.Equal(EnvelopeError.InvalidKeyCertificate, wrongIssuer.Reason);

        // The same, properly self-signed, is accepted.
        Assert.Equal(bob.Id, EncryptionKeyCertificate.Decode(Build(bob.Id.PublicKey, bob.Id.PublicKey, x25519, bob)).Issuer);
    }

    [Fact]
    public void Malformed_certificates_are_refused()
    {
        using AgentIdentity bob = AgentIdentity.Generate();
        byte[] encoded;
        using (EncryptionKeyPair key = EncryptionKeyPair.Generate(bob))
        {
            encoded = key.Certificate.Encode();
        }

        Assert.Equal(EnvelopeError.TooLarge, Assert.Throws<EnvelopeException>(() => EncryptionKeyCertificate.Decode(new byte[EncryptionKeyCertificate.MaxEncodedSize + 1])).Reason);
        Assert.Equal(EnvelopeError.Malformed, Assert.Throws<EnvelopeException>(() => EncryptionKeyCertificate.Decode(encoded.AsMemory(0, encoded.Length - 1))).Reason);
        Assert.Equal(EnvelopeError.Malformed, Assert.Throws<EnvelopeException>(() => EncryptionKeyCertificate.Decode((byte[])[.. encoded, 0])).Reason);
        Assert.Equal(EnvelopeError.Malformed, Assert.Throws<EnvelopeException>(() => EncryptionKeyCertificate.Decode(Array.Empty<byte>())).Reason);
        byte[] x25519 = new byte[32];
        Assert.Equal(EnvelopeError.Malformed, Assert.Throws<EnvelopeException>(() => EncryptionKeyCertificate.Decode(Build(bob.Id.PublicKey, bob.Id.PublicKey, x25519, bob, version: 2))).Reason);
        Assert.Equal(EnvelopeError.InvalidKeyCertificate, Assert.Throws<EnvelopeException>(() => EncryptionKeyCertificate.Decode(Build(bob.Id.PublicKey, bob.Id.PublicKey, x25519, bob, lifetime: TimeSpan.Zero))).Reason);
    }

    [Fact]
    public void The_sealer_refuses_expired_not_yet_valid_or_unusable_keys()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        using EncryptionKeyPair key = EncryptionKeyPair.Generate(bob, TimeSpan.FromDays(1), new ManualTimeProvider(Start));
        EnvelopeSealer.Seal(alice, key.Certificate, "ok"u8, new ManualTimeProvider(Start + TimeSpan.FromHours(23)));
        EnvelopeSealer.Seal(alice, key.Certificate, "ok"u8, new ManualTimeProvider(Start - TimeSpan.FromMinutes(4)));
        Assert.Equal(EnvelopeError.InvalidKeyCertificate, Assert.Throws<EnvelopeException>(() =>
            EnvelopeSealer.Seal(alice, key.Certificate, "late"u8, new ManualTimeProvider(Start + TimeSpan.FromDays(1)))).Reason);
        Assert.Equal(EnvelopeError.InvalidKeyCertificate, Assert.Throws<EnvelopeException>(() =>
            EnvelopeSealer.Seal(alice, key.Certificate, "early"u8, new ManualTimeProvider(Start - TimeSpan.FromHours(1)))).Reason);

        // A certified low-order point (all zeros) cannot be sealed to.
        EncryptionKeyCertificate zero = EncryptionKeyCertificate.Decode(Build(bob.Id.PublicKey, bob.Id.PublicKey, new byte[32], bob));
        Assert.Equal(EnvelopeError.InvalidKeyCertificate, Assert.Throws<EnvelopeException>(() =>
            EnvelopeSealer.Seal(alice, zero, "x"u8, new ManualTimeProvider(Start))).Reason);
    }

    [Fact]
    public void Key_pairs_check_their_certificate_and_derive_deterministically()
    {
        using AgentIdentity bob = AgentIdentity.Generate();
        using EncryptionKeyPair key = EncryptionKeyPair.Generate(bob);
        using EncryptionKeyPair other = EncryptionKeyPair.Generate(bob);
        byte[] privateKey = new byte[32];
        other.ExportPrivateKey(privateKey);
        Assert.Throws<ArgumentException>(() => EncryptionKeyPair.FromPrivateKey(privateKey, key.Certificate));
        Assert.Throws<ArgumentException>(() => EncryptionKeyPair.FromPrivateKey(new byte[31], key.Certificate));

        using EncryptionKeyPair derived = EncryptionKeyPair.Derive(bob);
        using EncryptionKeyPair again = EncryptionKeyPair.Derive(AgentIdentity.FromSeed(bob.Seed));
        using EncryptionKeyPair next = EncryptionKeyPair.Derive(bob, generation: 1);
        Assert.Equal(derived.Certificate.PublicKey.ToArray(), again.Certificate.PublicKey.ToArray());
        Assert.NotEqual(derived.Certificate.PublicKey.ToArray(), next.Certificate.PublicKey.ToArray());
        Assert.NotEqual(derived.Certificate.PublicKey.ToArray(), key.Certificate.PublicKey.ToArray());

        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.ExportPrivateKey(new byte[32]));
    }

    /// <summary>Encodes a certificate by hand, signed by <paramref name="signer"/>.</summary>
    private static byte[] Build(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> issuer, ReadOnlySpan<byte> key, AgentIdentity signer, int version = 1, TimeSpan? lifetime = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        writer.WriteArrayHeader(7);
        writer.WriteInt32(version);
        writer.WriteBinary(subject);
        writer.WriteBinary(issuer);
        writer.WriteBinary(key);
        writer.WriteInt64(Start.ToUnixTimeMilliseconds());
        writer.WriteInt64((Start + (lifetime ?? TimeSpan.FromDays(1))).ToUnixTimeMilliseconds());
        writer.Flush();
        byte[] signature = signer.Sign([.. EncryptionKeyCertificate.SignatureContext, .. buffer.WrittenSpan]);
        writer = new MsgPackWriter(buffer);
        writer.WriteBinary(signature);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
