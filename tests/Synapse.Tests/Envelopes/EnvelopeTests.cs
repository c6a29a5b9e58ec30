using System.Collections.Concurrent;
using System.Reflection;
using Synapse.Crypto;
using Synapse.Envelopes;
using Synapse.Identity;

namespace Synapse.Tests.Envelopes;

public sealed class EnvelopeTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _clock = new(Start);
    private readonly AgentIdentity _alice = AgentIdentity.Generate();
    private readonly AgentIdentity _bob = AgentIdentity.Generate();
    private readonly AgentIdentity _mallory = AgentIdentity.Generate();
    private readonly EncryptionKeyPair _bobKey;
    private readonly EnvelopeOpener _bobOpener;

    public EnvelopeTests()
    {
        _bobKey = EncryptionKeyPair.Generate(_bob, timeProvider: _clock);
        _bobOpener = new EnvelopeOpener(_bobKey, new EnvelopeOpenerOptions { TimeProvider = _clock });
    }

    public void Dispose()
    {
        _bobKey.Dispose();
        _alice.Dispose();
        _bob.Dispose();
        _mallory.Dispose();
    }

    private EncryptionKeyCertificate BobsPublishedCertificate() => EncryptionKeyCertificate.Decode(_bobKey.Certificate.Encode());

    private SealedEnvelope SealToBob(ReadOnlySpan<byte> payload) =>
        EnvelopeSealer.Seal(_alice, BobsPublishedCertificate(), payload, _clock);

    private static EnvelopeError Refusal(Action action) => Assert.Throws<EnvelopeException>(action).Reason;

    [Fact]
    public void Round_trip()
    {
        byte[] payload = "meet at the relay"u8.ToArray();
        SealedEnvelope sealedEnvelope = SealToBob(payload);
        byte[] wire = sealedEnvelope.Encode();

        OpenedEnvelope opened = _bobOpener.Open(wire);
        Assert.Equal(payload, opened.Payload.ToArray());
        Assert.Equal(_alice.Id, opened.Sender);
        Assert.True(opened.Recipient.Is(_bob.Id));
        Assert.Equal(sealedEnvelope.MessageId, opened.MessageId);
        Assert.Equal(Start, opened.Timestamp);
        Assert.Equal(1, _bobOpener.ReplayCacheCount);
        Assert.Equal(7, sealedEnvelope.MessageId.Version);
    }

    [Fact]
    public void Empty_and_large_payloads_round_trip()
    {
        foreach (int size in (int[])[0, 1, 300, 70_000, EnvelopeLimits.Default.MaxPayloadSize])
        {
            byte[] payload = new byte[size];
            Random.Shared.NextBytes(payload);
            SealedEnvelope envelope = SealToBob(payload);
            Assert.Equal(size, envelope.PayloadLength);
            Assert.True(envelope.EncodedLength <= EnvelopeLimits.Default.MaxEncodedSize);
            Assert.Equal(payload, _bobOpener.Open(envelope.Encode()).Payload.ToArray());
        }
    }

    [Fact]
    public void A_relay_reads_the_routing_fields_and_nothing_else()
    {
        byte[] payload = "secret plan"u8.ToArray();
        SealedEnvelope original = SealToBob(payload);
        SealedEnvelope relayed = SealedEnvelope.Decode(original.Encode());

        Assert.Equal(_alice.Id, relayed.Sender);
        Assert.Equal(Recipient.ForAgent(_bob.Id), relayed.Recipient);
        Assert.Equal(original.MessageId, relayed.MessageId);
        Assert.Equal(Start, relayed.Timestamp);
        Assert.Equal(payload.Length, relayed.PayloadLength);
        Assert.Equal(original.EncodedLength, relayed.EncodedLength);
        Assert.True(relayed.VerifySignature());
        Assert.Equal(original.Encode(), relayed.Encoded.ToArray());

        string[] exposed = [.. typeof(SealedEnvelope).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order(StringComparer.Ordinal)];
        Assert.Equal(["Encoded", "EncodedLength", "MessageId", "PayloadLength", "Recipient", "Sender", "Timestamp"], exposed);
        Assert.DoesNotContain("secret", relayed.ToString(), StringComparison.Ordinal);
        Assert.Equal(-1, relayed.Encode().AsSpan().IndexOf("secret"u8));
    }

    [Fact]
    public void Every_flipped_bit_is_refused_with_an_envelope_error()
    {
        byte[] wire = SealToBob("tamper with me"u8).Encode();
        var reasons = new Dictionary<EnvelopeError, int>();
        for (int bit = 0; bit < wire.Length * 8; bit++)
        {
            byte[] tampered = (byte[])wire.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Exception? failure = Record.Exception(() => _bobOpener.Open(tampered));
            EnvelopeException refusal = Assert.IsType<EnvelopeException>(failure);
            Assert.Contains(refusal.Reason, (EnvelopeError[])[EnvelopeError.Malformed, EnvelopeError.BadSignature, EnvelopeError.TooLarge]);
            reasons[refusal.Reason] = reasons.GetValueOrDefault(refusal.Reason) + 1;
        }

        Assert.True(reasons[EnvelopeError.BadSignature] > wire.Length * 4);
        Assert.True(reasons[EnvelopeError.Malformed] > 0);
        Assert.Equal(0, _bobOpener.ReplayCacheCount);
        Assert.Equal("tamper with me"u8.ToArray(), _bobOpener.Open(wire).Payload.ToArray());
    }

    [Fact]
    public void Truncated_or_extended_envelopes_are_malformed()
    {
        byte[] wire = SealToBob("x"u8).Encode();
        for (int length = 0; length < wire.Length; length++)
        {
            Assert.Equal(EnvelopeError.Malformed, Refusal(() => _bobOpener.Open(wire.AsMemory(0, length))));
        }

        Assert.Equal(EnvelopeError.Malformed, Refusal(() => _bobOpener.Open((byte[])[.. wire, 0xc0])));
        Assert.Equal(EnvelopeError.Malformed, Refusal(() => SealedEnvelope.Decode((byte[])[0x92, 0x01, 0x02])));
        Assert.Equal(EnvelopeError.Malformed, Refusal(() => SealedEnvelope.Decode((byte[])[0xc1])));
    }

    [Fact]
    public void A_replayed_envelope_is_refused()
    {
        byte[] wire = SealToBob("once"u8).Encode();
        _bobOpener.Open(wire);
        Assert.Equal(EnvelopeError.Replayed, Refusal(() => _bobOpener.Open(wire)));
        Assert.Equal(EnvelopeError.Replayed, Refusal(() => _bobOpener.Open(SealedEnvelope.Decode(wire))));

        // Once the window has passed, the age check refuses it (and the cache has let it go).
        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1));
        Assert.Equal(EnvelopeError.Expired, Refusal(() => _bobOpener.Open(wire)));
        SealToBob("new"u8);
        _bobOpener.Open(SealToBob("next"u8).Encode());
        Assert.Equal(1, _bobOpener.ReplayCacheCount);
    }

    [Fact]
    public void Concurrent_opens_of_one_envelope_succeed_exactly_once()
    {
        byte[] wire = SealToBob("race"u8).Encode();
        var outcomes = new ConcurrentBag<EnvelopeError?>();
        Parallel.For(0, 16, _ =>
        {
            try
            {
                _bobOpener.Open(wire);
                outcomes.Add(null);
            }
            catch (EnvelopeException ex)
            {
                outcomes.Add(ex.Reason);
            }
        });

        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(EnvelopeError.Replayed, o));
    }

    [Fact]
    public void The_same_message_id_from_another_sender_is_not_a_replay()
    {
        var id = Guid.CreateVersion7(Start);
        SealedEnvelope fromAlice = EnvelopeSealer.Seal(_alice, _alice.Id, BobsPublishedCertificate(), "a"u8, id, Start, EnvelopeLimits.Default);
        SealedEnvelope fromMallory = EnvelopeSealer.Seal(_mallory, _mallory.Id, BobsPublishedCertificate(), "m"u8, id, Start, EnvelopeLimits.Default);
        _bobOpener.Open(fromAlice);
        _bobOpener.Open(fromMallory);
        Assert.Equal(EnvelopeError.Replayed, Refusal(() => _bobOpener.Open(fromAlice)));
    }

    [Fact]
    public void An_envelope_for_someone_else_is_refused()
    {
        using AgentIdentity carol = AgentIdentity.Generate();
        using EncryptionKeyPair carolKey = EncryptionKeyPair.Generate(carol, timeProvider: _clock);
        var carolOpener = new EnvelopeOpener(carolKey, new EnvelopeOpenerOptions { TimeProvider = _clock });
        byte[] wire = SealToBob("for bob"u8).Encode();
        EnvelopeException ex = Assert.Throws<EnvelopeException>(() => carolOpener.Open(wire));
        Assert.Equal(EnvelopeError.WrongRecipient, ex.Reason);
        Assert.Contains(_bob.Id.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_for_the_right_subject_that_does_not_match_fails_decryption()
    {
        // Bob rotated: the envelope was sealed to his old key, and his opener only holds the new one.
        using EncryptionKeyPair newKey = EncryptionKeyPair.Generate(_bob, timeProvider: _clock);
        var opener = new EnvelopeOpener(newKey, new EnvelopeOpenerOptions { TimeProvider = _clock });
        byte[] wire = SealToBob("old key"u8).Encode();
        Assert.Equal(EnvelopeError.DecryptionFailed, Refusal(() => opener.Open(wire)));
        Assert.Equal(0, opener.ReplayCacheCount);

        // With both keys (during a rotation) it opens.
        opener.AddKey(_bobKey);
        Assert.Equal("old key"u8.ToArray(), opener.Open(wire).Payload.ToArray());
        Assert.True(opener.RemoveKey(_bobKey));
        Assert.False(opener.RemoveKey(_bobKey));
    }

    [Fact]
    public void Expired_envelopes_are_refused()
    {
        byte[] wire = SealToBob("late"u8).Encode();
        _clock.Advance(TimeSpan.FromMinutes(5));
        var options = new EnvelopeOpenerOptions { TimeProvider = _clock };
        Assert.Equal("late"u8.ToArray(), new EnvelopeOpener(_bobKey, options).Open(wire).Payload.ToArray());
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        EnvelopeException ex = Assert.Throws<EnvelopeException>(() => new EnvelopeOpener(_bobKey, options).Open(wire));
        Assert.Equal(EnvelopeError.Expired, ex.Reason);

        var patient = new EnvelopeOpener(_bobKey, new EnvelopeOpenerOptions { TimeProvider = _clock, MaxAge = TimeSpan.FromHours(1) });
        Assert.Equal("late"u8.ToArray(), patient.Open(wire).Payload.ToArray());
    }

    [Fact]
    public void Envelopes_from_the_future_are_refused()
    {
        var senderClock = new ManualTimeProvider(Start + TimeSpan.FromMinutes(1));
        byte[] wire = EnvelopeSealer.Seal(_alice, BobsPublishedCertificate(), "soon"u8, senderClock).Encode();
        Assert.Equal("soon"u8.ToArray(), _bobOpener.Open(wire).Payload.ToArray());

        senderClock.Advance(TimeSpan.FromMilliseconds(1));
        wire = EnvelopeSealer.Seal(_alice, BobsPublishedCertificate(), "too soon"u8, senderClock).Encode();
        Assert.Equal(EnvelopeError.FromTheFuture, Refusal(() => _bobOpener.Open(wire)));
    }

    [Fact]
    public void A_signature_by_another_key_than_the_claimed_senders_is_refused()
    {
        // Mallory signs an envelope that claims to come from Alice.
        SealedEnvelope forged = EnvelopeSealer.Seal(_mallory, _alice.Id, BobsPublishedCertificate(), "trust me"u8, Guid.CreateVersion7(Start), Start, EnvelopeLimits.Default);
        Assert.Equal(_alice.Id, forged.Sender);
        Assert.False(forged.VerifySignature());
        EnvelopeException ex = Assert.Throws<EnvelopeException>(() => _bobOpener.Open(forged.Encode()));
        Assert.Equal(EnvelopeError.BadSignature, ex.Reason);
        Assert.Equal(0, _bobOpener.ReplayCacheCount);
    }

    [Fact]
    public void Re_signing_someone_elses_ciphertext_under_another_sender_does_not_decrypt()
    {
        // Mallory copies Alice's envelope, puts her own key in the sender field and signs it: the signature is
        // now valid, but the ciphertext is bound to Alice as sender through the HPKE associated data.
        byte[] wire = SealToBob("from alice"u8).Encode();
        Assert.Equal(0xc4, wire[2]);
        Assert.Equal(32, wire[3]);
        _mallory.Id.PublicKey.CopyTo(wire.AsSpan(4, 32));
        byte[] resigned = _mallory.Sign([.. SealedEnvelope.SignatureContext, .. wire.AsSpan(0, wire.Length - 66)]);
        resigned.CopyTo(wire.AsSpan(wire.Length - 64));

        SealedEnvelope envelope = SealedEnvelope.Decode(wire);
        Assert.Equal(_mallory.Id, envelope.Sender);
        Assert.True(envelope.VerifySignature());
        Assert.Equal(EnvelopeError.DecryptionFailed, Refusal(() => _bobOpener.Open(envelope)));
    }

    [Fact]
    public void Topic_envelopes_open_for_holders_of_the_topic_key()
    {
        using EncryptionKeyPair roomKey = EncryptionKeyPair.GenerateForTopic(_bob, "rooms/general", timeProvider: _clock);
        byte[] privateKey = new byte[X25519.KeySize];
        roomKey.ExportPrivateKey(privateKey);
        using EncryptionKeyPair memberCopy = EncryptionKeyPair.FromPrivateKey(privateKey, EncryptionKeyCertificate.Decode(roomKey.Certificate.Encode()));

        using AgentIdentity carol = AgentIdentity.Generate();
        var member = new EnvelopeOpener([memberCopy], new EnvelopeOpenerOptions { TimeProvider = _clock });
        EncryptionKeyCertificate published = EncryptionKeyCertificate.Decode(roomKey.Certificate.Encode());
        Assert.Equal(Recipient.ForTopic("rooms/general"), published.Subject);
        Assert.Equal(_bob.Id, published.Issuer);

        byte[] wire = EnvelopeSealer.Seal(_alice, published, "hello room"u8, _clock).Encode();
        SealedEnvelope relayed = SealedEnvelope.Decode(wire);
        Assert.True(relayed.Recipient.IsTopic);
        Assert.Equal("rooms/general", relayed.Recipient.Topic);
        Assert.Throws<InvalidOperationException>(() => relayed.Recipient.Agent);

        OpenedEnvelope opened = member.Open(wire);
        Assert.Equal("hello room"u8.ToArray(), opened.Payload.ToArray());
        Assert.Equal(EnvelopeError.WrongRecipient, Refusal(() => _bobOpener.Open(wire)));
    }

    [Fact]
    public void Size_limits_are_enforced()
    {
        var small = new EnvelopeLimits { MaxPayloadSize = 100 };
        Assert.Equal(EnvelopeError.TooLarge, Refusal(() => EnvelopeSealer.Seal(_alice, BobsPublishedCertificate(), new byte[101], _clock, small)));
        byte[] wire = SealToBob(new byte[101]).Encode();
        Assert.Equal(EnvelopeError.TooLarge, Refusal(() => SealedEnvelope.Decode(wire, small)));
        Assert.Equal(EnvelopeError.TooLarge, Refusal(() => SealedEnvelope.Decode(new byte[small.MaxEncodedSize + 1], small)));
        var strict = new EnvelopeOpener(_bobKey, new EnvelopeOpenerOptions { TimeProvider = _clock, Limits = small });
        Assert.Equal(EnvelopeError.TooLarge, Refusal(() => strict.Open(wire)));
        Assert.Equal(EnvelopeError.TooLarge, Refusal(() => strict.Open(SealedEnvelope.Decode(wire))));
        Assert.Throws<ArgumentException>(() => Recipient.ForTopic(new string('x', Recipient.MaxTopicLength + 1)));
        Assert.Throws<ArgumentException>(() => Recipient.ForTopic(""));
        Assert.Throws<ArgumentException>(() => Recipient.ForTopic("a\nb"));
        Assert.Throws<ArgumentException>(() => Recipient.ForTopic("\ud800"));
    }

    [Fact]
    public void A_full_replay_cache_evicts_the_oldest_and_never_accepts_a_replay()
    {
        var opener = new EnvelopeOpener(_bobKey, new EnvelopeOpenerOptions { TimeProvider = _clock, ReplayCacheCapacity = 3 });
        var wires = new List<byte[]>();
        for (int i = 0; i < 4; i++)
        {
            wires.Add(SealToBob([(byte)i]).Encode());
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        byte[] late = EnvelopeSealer.Seal(_alice, BobsPublishedCertificate(), "late"u8, new ManualTimeProvider(Start)).Encode();
        for (int i = 0; i < 4; i++)
        {
            opener.Open(wires[i]);
        }

        Assert.Equal(3, opener.ReplayCacheCount);

        // The evicted first envelope cannot come back, nor can anything as old as it.
        EnvelopeException evicted = Assert.Throws<EnvelopeException>(() => opener.Open(wires[0]));
        Assert.Equal(EnvelopeError.Expired, evicted.Reason);
        Assert.Contains("replay cache", evicted.Message, StringComparison.Ordinal);
        Assert.Equal(EnvelopeError.Expired, Refusal(() => opener.Open(late)));
        Assert.Equal(EnvelopeError.Replayed, Refusal(() => opener.Open(wires[3])));

        // Newer envelopes keep flowing.
        opener.Open(SealToBob("newer"u8).Encode());
        Assert.Equal(3, opener.ReplayCacheCount);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnvelopeOpenerOptions { MaxAge = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnvelopeOpenerOptions { MaxClockSkew = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnvelopeOpenerOptions { ReplayCacheCapacity = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnvelopeLimits { MaxPayloadSize = -1 });
    }

    [Fact]
    public void Exceptions_and_strings_carry_no_payload_or_keys()
    {
        SealedEnvelope envelope = SealToBob("classified"u8);
        byte[] privateKey = new byte[X25519.KeySize];
        _bobKey.ExportPrivateKey(privateKey);
        string hexKey = Convert.ToHexString(privateKey);
        foreach (string text in (string[])[envelope.ToString(), _bobKey.ToString(), _bobKey.Certificate.ToString(), _bobOpener.Open(envelope).ToString()])
        {
            Assert.DoesNotContain("classified", text, StringComparison.Ordinal);
            Assert.DoesNotContain(hexKey, text, StringComparison.OrdinalIgnoreCase);
        }

        EnvelopeException ex = Assert.Throws<EnvelopeException>(() => _bobOpener.Open(envelope));
        Assert.StartsWith("EnvelopeException [Replayed]", ex.ToString(), StringComparison.Ordinal);
    }
}
