using Synapse.Discovery;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay;

public class RelayDiscoveryTests
{
    private static AgentCard Card(TestAgent agent, string role, string[] capabilities, DateTimeOffset? issuedAt = null)
    {
        DateTimeOffset now = issuedAt ?? DateTimeOffset.UtcNow;
        return AgentCard.Sign(
            agent.Identity,
            agent.Name,
            role,
            $"{agent.Name} the {role}",
            [.. capabilities.Select(c => new AgentCapability(c, "", "{}", "{}"))],
            [new RelayAddress("127.0.0.1:7400")],
            agent.EncryptionKey.Certificate,
            now,
            now.AddHours(1));
    }

    [Fact]
    public async Task Agents_publish_cards_and_find_each_other_by_capability_through_a_relay()
    {
        var (relay, _) = await StartRelayAsync();
        await using var _relay = relay;
        await using var alice = await Agent("alice", relay).StartAsync();
        await using var bob = await Agent("bob", relay).StartAsync();
        await using var carol = await Agent("carol", relay).StartAsync();

        Assert.Equal(PublishStatus.Accepted, await alice.Client.PublishCardAsync(Card(alice, "critic", ["code-review"])));
        Assert.Equal(PublishStatus.Accepted, await bob.Client.PublishCardAsync(Card(bob, "author", ["write-docs"])));
        Assert.Equal(2, relay.Directory.Count);

        AgentPage page = await carol.Client.FindAgentsAsync(new AgentQuery { Capability = "code-review" });
        AgentCard found = Assert.Single(page.Cards);
        Assert.Equal(alice.Identity.Id, found.Agent);
        Assert.Equal(alice.EncryptionKey.Certificate.Encode(), found.EncryptionKey!.Encode());
        Assert.Null(page.NextPageToken);

        Assert.Equal("bob", Assert.Single((await carol.Client.FindAgentsAsync(new AgentQuery { Role = "AUTHOR" })).Cards).Name);
        Assert.Empty((await carol.Client.FindAgentsAsync(new AgentQuery { Text = "nobody" })).Cards);

        // A newer card replaces the old one; republishing the old one is refused as stale.
        AgentCard newer = Card(alice, "critic", ["code-review", "lint"], DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(PublishStatus.Replaced, await alice.Client.PublishCardAsync(newer));
        Assert.Equal(PublishStatus.Unchanged, await alice.Client.PublishCardAsync(newer));
        var stale = await Assert.ThrowsAsync<RelayRefusedException>(() => alice.Client.PublishCardAsync(Card(alice, "critic", [], DateTimeOffset.UtcNow.AddSeconds(-30))));
        Assert.Equal("stale_card", stale.Code);
        Assert.Equal("alice", Assert.Single((await bob.Client.FindAgentsAsync(new AgentQuery { Capability = "lint" })).Cards).Name);
    }

    [Fact]
    public async Task Pages_of_a_find_are_walked_with_the_token()
    {
        var (relay, _) = await StartRelayAsync();
        await using var _relay = relay;
        var agents = new List<TestAgent>();
        try
        {
            for (int i = 0; i < 5; i++)
            {
                TestAgent agent = await Agent($"agent-{i}", relay).StartAsync();
                agents.Add(agent);
                await agent.Client.PublishCardAsync(Card(agent, "worker", ["summarize"]));
            }

            var names = new List<string>();
            string? token = null;
            do
            {
                AgentPage page = await agents[0].Client.FindAgentsAsync(new AgentQuery { Capability = "summarize", PageSize = 2, PageToken = token });
                Assert.InRange(page.Cards.Count, 1, 2);
                names.AddRange(page.Cards.Select(c => c.Name));
                token = page.NextPageToken;
            }
            while (token is not null);

            Assert.Equal(agents.Select(a => a.Name).Order(), names.Order());
            Assert.Equal(5, names.Distinct().Count());
        }
        finally
        {
            foreach (TestAgent agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_relay_refuses_a_card_from_a_link_that_is_not_its_agent_and_a_bad_query()
    {
        var (relay, _) = await StartRelayAsync();
        await using var _relay = relay;
        await using var alice = Agent("alice", relay);
        using AgentIdentity mallory = AgentIdentity.Generate();
        await using var raw = await RawRelayPeer.ConnectAsync(relay, mallory);

        var id = Guid.NewGuid();
        await raw.SendAsync(new RelayFrame { Op = RelayOp.PublishCard, MessageId = id, Card = Card(alice, "critic", ["code-review"]).Encoded });
        RelayFrame nack = await raw.ReadUntilAsync(RelayOp.Nack);
        Assert.Equal((id, "forged_card"), (nack.MessageId, nack.Error));
        Assert.Equal(0, relay.Directory.Count);

        await raw.SendAsync(new RelayFrame { Op = RelayOp.PublishCard, MessageId = id, Card = new byte[] { 0x91, 0x01 } });
        Assert.Equal("bad_card", (await raw.ReadUntilAsync(RelayOp.Nack)).Error);

        var query = Guid.NewGuid();
        await raw.SendAsync(new RelayFrame { Op = RelayOp.Find, MessageId = query, Query = new AgentQuery { PageToken = "garbage" } });
        RelayFrame refused = await raw.ReadUntilAsync(RelayOp.Nack);
        Assert.Equal((query, "bad_query"), (refused.MessageId, refused.Error));

        await raw.SendAsync(new RelayFrame { Op = RelayOp.Find, MessageId = query, Query = new AgentQuery() });
        RelayFrame found = await raw.ReadUntilAsync(RelayOp.Found);
        Assert.Equal(query, found.MessageId);
        Assert.Empty(found.Cards!);
    }

    [Fact]
    public void Discovery_frames_round_trip()
    {
        var id = Guid.NewGuid();
        var find = new RelayFrame { Op = RelayOp.Find, MessageId = id, Query = new AgentQuery { Capability = "c", Role = "r", Name = "n", Text = "t", PageSize = 7, PageToken = "tok" } };
        RelayFrame decoded = RelayFrame.Decode(new(find.Encode().AsMemory(4)));
        Assert.Equal(RelayOp.Find, decoded.Op);
        Assert.Equal(id, decoded.MessageId);
        Assert.Equal(find.Query, decoded.Query);

        var found = new RelayFrame { Op = RelayOp.Found, MessageId = id, Cards = [new byte[] { 1, 2 }, new byte[] { 3 }], NextPageToken = "next" };
        decoded = RelayFrame.Decode(new(found.Encode().AsMemory(4)));
        Assert.Equal([[1, 2], [3]], decoded.Cards!.Select(c => c.ToArray()));
        Assert.Equal("next", decoded.NextPageToken);

        var publish = new RelayFrame { Op = RelayOp.PublishCard, MessageId = id, Card = new byte[] { 9, 9 } };
        decoded = RelayFrame.Decode(new(publish.Encode().AsMemory(4)));
        Assert.Equal(RelayOp.PublishCard, decoded.Op);
        Assert.Equal([9, 9], decoded.Card.ToArray());

        var tooMany = new RelayFrame { Op = RelayOp.Found, Cards = [.. Enumerable.Repeat(new ReadOnlyMemory<byte>([1]), RelayFrame.MaxCardsPerFrame + 1)] };
        Assert.Throws<RelayProtocolException>(() => RelayFrame.Decode(new(tooMany.Encode().AsMemory(4))));
    }
}
