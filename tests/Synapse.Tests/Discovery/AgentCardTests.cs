using Synapse.Discovery;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Rpc;
using Synapse.Tests.Envelopes;

namespace Synapse.Tests.Discovery;

public class AgentCardTests
{
    internal static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    internal static AgentCard Card(AgentIdentity agent, string name = "reviewer", string role = "critic", DateTimeOffset? issuedAt = null, TimeSpan? lifetime = null, params string[] capabilities) =>
        AgentCard.Sign(
            agent,
            name,
            role,
            $"{name} reads pull requests",
            (capabilities.Length == 0 ? ["code-review"] : capabilities).Select(c => new AgentCapability(c, $"does {c}", "{\"type\":\"object\"}", "{}")).ToArray(),
            [new RelayAddress("127.0.0.1:7400")],
            null,
            issuedAt ?? Start,
            (issuedAt ?? Start) + (lifetime ?? TimeSpan.FromHours(1)));

    [Fact]
    public void A_card_round_trips_every_field()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity relay = AgentIdentity.Generate();
        using EncryptionKeyPair key = EncryptionKeyPair.Generate(alice, TimeSpan.FromDays(7), new ManualTimeProvider(Start));
        AgentCard card = AgentCard.Sign(
            alice,
            "Alice",
            "reviewer",
            "Reviews C# — carefully",
            [new AgentCapability("code-review", "finds bugs", "{\"type\":\"object\"}", "{\"type\":\"string\"}")],
            [new RelayAddress("relay-a:7400", relay.Id), new RelayAddress("relay-b:7400")],
            key.Certificate,
            Start,
            Start.AddHours(2));

        AgentCard decoded = AgentCard.DecodeVerified(card.Encode(), Start.AddMinutes(1));
        Assert.Equal(alice.Id, decoded.Agent);
        Assert.Equal("Alice", decoded.Name);
        Assert.Equal("reviewer", decoded.Role);
        Assert.Equal("Reviews C# — carefully", decoded.Description);
        Assert.Equal(card.Capabilities, decoded.Capabilities);
        Assert.Equal([new RelayAddress("relay-a:7400", relay.Id), new RelayAddress("relay-b:7400")], decoded.Relays);
        Assert.Equal(key.Certificate.Encode(), decoded.EncryptionKey!.Encode());
        Assert.Equal(Start, decoded.IssuedAt);
        Assert.Equal(Start.AddHours(2), decoded.ExpiresAt);
        Assert.Equal(card.Encode(), decoded.Encode());
    }

    [Fact]
    public void Capabilities_come_from_the_generated_descriptor_like_agent_capabilities()
    {
        var descriptor = new AgentDescriptor(
            "Reviewer",
            "critic",
            "reviews code",
            [new EndpointDescriptor("review", true, "review a diff", "{\"type\":\"object\"}", "{\"type\":\"string\"}"), new EndpointDescriptor("secret", false, "", "", ""), new EndpointDescriptor("code-review", true, "dup", "", "")],
            [new CapabilityDescriptor("code-review", "declared", "", "")],
            [],
            -1);
        using AgentIdentity alice = AgentIdentity.Generate();
        AgentCard card = AgentCard.Sign(alice, descriptor, [], null, Start, Start.AddHours(1));
        Assert.Equal("Reviewer", card.Name);
        Assert.Equal("critic", card.Role);
        Assert.Equal(
            [new AgentCapability("code-review", "declared", "{}", "{}"), new AgentCapability("review", "review a diff", "{\"type\":\"object\"}", "{\"type\":\"string\"}")],
            card.Capabilities);
    }

    [Fact]
    public void A_card_with_any_changed_byte_is_refused()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using EncryptionKeyPair key = EncryptionKeyPair.Generate(alice, TimeSpan.FromDays(7), new ManualTimeProvider(Start));
        byte[] encoded = AgentCard.Sign(alice, "a", "", "", [new AgentCapability("x", "", "{}", "{}")], [new RelayAddress("r:1")], key.Certificate, Start, Start.AddHours(1)).Encode();
        for (int i = 0; i < encoded.Length; i++)
        {
            foreach (byte flip in (byte[])[0x01, 0x80, 0xFF])
            {
                byte[] tampered = (byte[])encoded.Clone();
                tampered[i] ^= flip;
                var ex = Assert.IsType<AgentCardException>(Record.Exception(() => AgentCard.DecodeVerified(tampered, Start)));
                Assert.Contains(ex.Reason, (AgentCardError[])[AgentCardError.Malformed, AgentCardError.BadSignature]);
            }
        }
    }

    [Fact]
    public void A_card_is_valid_only_between_its_issue_time_and_its_expiry()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        AgentCard card = Card(alice);
        card.Verify(Start);
        card.Verify(Start.AddHours(1).AddMilliseconds(-1));
        Assert.Equal(AgentCardError.Expired, Assert.Throws<AgentCardException>(() => card.Verify(Start.AddHours(1))).Reason);
        Assert.Equal(AgentCardError.NotYetValid, Assert.Throws<AgentCardException>(() => card.Verify(Start.AddSeconds(-1))).Reason);
        card.Verify(Start.AddSeconds(-1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void A_card_re_signed_by_someone_else_is_forged()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity mallory = AgentIdentity.Generate();
        byte[] encoded = Card(alice).Encode();
        byte[] malloryCard = Card(mallory).Encode();
        // Alice's fields with Mallory's signature: the last 64 bytes.
        malloryCard.AsSpan(malloryCard.Length - 64).CopyTo(encoded.AsSpan(encoded.Length - 64));
        var ex = Assert.Throws<AgentCardException>(() => AgentCard.DecodeVerified(encoded, Start));
        Assert.Equal(AgentCardError.BadSignature, ex.Reason);
    }

    [Fact]
    public void A_card_carrying_someone_elses_encryption_key_cannot_be_signed()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        using EncryptionKeyPair bobKey = EncryptionKeyPair.Generate(bob);
        Assert.Throws<ArgumentException>(() => AgentCard.Sign(alice, "a", "", "", [], [], bobKey.Certificate, Start, Start.AddHours(1)));
    }

    [Fact]
    public void Decode_names_the_limit_a_card_breaks()
    {
        Assert.Equal(AgentCardError.TooLarge, Assert.Throws<AgentCardException>(() => AgentCard.Decode(new byte[AgentCardLimits.MaxEncodedSize + 1])).Reason);
        var ex = Assert.Throws<AgentCardException>(() => AgentCard.Decode(new byte[] { 0x93, 0x01, 0x02, 0x03 }));
        Assert.Equal(AgentCardError.Malformed, ex.Reason);
        Assert.Contains("11 fields", ex.Message);

        using AgentIdentity alice = AgentIdentity.Generate();
        Assert.Throws<ArgumentException>(() => Card(alice, name: new string('n', AgentCardLimits.MaxNameLength + 1)));
        Assert.Throws<ArgumentException>(() => Card(alice, name: ""));
        Assert.Throws<ArgumentException>(() => Card(alice, lifetime: TimeSpan.Zero));
    }
}
