using Microsoft.Extensions.Logging;
using Synapse.Discovery;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Relay.Configuration;
using Synapse.Relay.Server;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay.Backplane;

/// <summary>Two or more relays sharing one RabbitMQ broker.</summary>
[Collection("broker")]
public sealed class BackplaneRoutingTests : IAsyncLifetime
{
    private readonly string _prefix = Broker.NewPrefix();
    private readonly List<RelayServer> _relays = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var relay in _relays)
        {
            await relay.DisposeAsync();
        }
    }

    /// <summary>A relay on this test's prefix, stopped when the test ends.</summary>
    private async Task<RelayServer> RelayAsync()
    {
        var (relay, _) = await Broker.StartRelayAsync(_prefix);
        _relays.Add(relay);
        return relay;
    }

    [BrokerFact]
    public async Task Direct_messages_cross_relays_in_order_and_once()
    {
        var first = await RelayAsync();
        var second = await RelayAsync();
        await using var alice = await Agent("alice", first).StartAsync();
        await using var bob = await Agent("bob", second).StartAsync();

        var ids = Enumerable.Range(0, 50).Select(i => alice.Client.Send(bob.Client.Certificate, Utf8($"m{i:D2}"))).ToList();
        foreach (var id in ids)
        {
            await alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
        }

        await EventuallyAsync(() => bob.Received.Count >= 50, "bob receives 50 messages");
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i:D2}"), bob.Texts);
        var reply = bob.Client.Send(alice.Client.Certificate, Utf8("thanks"));
        await bob.Client.WaitAcknowledgedAsync(reply).WaitAsync(TimeSpan.FromSeconds(30));
        await EventuallyAsync(() => alice.Texts.Contains("thanks"), "alice receives the reply");
        Assert.Empty(first.StoredMail()); // nothing in the relays' memory: the mail is in the broker
        Assert.Empty(second.StoredMail());
    }

    [BrokerFact]
    public async Task Mail_that_expires_in_the_broker_tells_its_sender_through_the_relay_it_is_connected_to()
    {
        var prefix = Broker.NewPrefix(); // its own prefix: every relay on a prefix declares mailboxes with the same time-to-live
        Func<RelayOptions, RelayOptions> shortLived = o => o with { Mailbox = o.Mailbox with { TimeToLive = TimeSpan.FromSeconds(1) } };
        var (first, firstLog) = await Broker.StartRelayAsync(prefix, shortLived);
        var (second, secondLog) = await Broker.StartRelayAsync(prefix, shortLived);
        _relays.Add(first);
        _relays.Add(second);
        await using var alice = await Agent("alice", first).StartAsync();
        using var absent = AgentIdentity.Generate();
        using var absentKey = EncryptionKeyPair.Derive(absent);

        var id = alice.Client.Send(absentKey.Certificate, Utf8("nobody home"));
        await alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(30)); // stored by the broker

        await EventuallyAsync(() => alice.Logs.Count(LogLevel.Warning, $"{id} refused: expired") == 1, "alice hears that her message expired");
        await EventuallyAsync(() => firstLog.ToString().Contains("expired undelivered", StringComparison.Ordinal), "the sender's relay logs the expiry");
        Assert.DoesNotContain("expired undelivered", secondLog.ToString(), StringComparison.Ordinal); // every relay hears it; only the sender's tells
    }

    [BrokerFact]
    public async Task An_offline_mailbox_survives_its_relay_and_is_delivered_by_another()
    {
        var (first, firstLog) = await Broker.StartRelayAsync(_prefix);
        using var bobIdentity = AgentIdentity.Generate();
        using var bobKey = EncryptionKeyPair.Derive(bobIdentity);
        await using (var alice = await Agent("alice", first).StartAsync())
        {
            var ids = Enumerable.Range(0, 10).Select(i => alice.Client.Send(bobKey.Certificate, Utf8($"kept {i}"))).ToList();
            foreach (var id in ids)
            {
                await alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(30)); // acknowledged: the broker holds it
            }
        }

        await first.DisposeAsync();
        Assert.Contains("backplane available", firstLog.ToString());

        var second = await RelayAsync();
        await using var bob = await new TestAgent("bob", [new RelayEndpoint(second.LocalEndPoint, second.Id)], null, AgentIdentity.FromSeed(bobIdentity.Seed)).StartAsync();
        await EventuallyAsync(() => bob.Received.Count >= 10, "bob receives what waited for him");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"kept {i}"), bob.Texts);
    }

    [BrokerFact]
    public async Task Rooms_span_relays_and_nobody_hears_their_own_message()
    {
        var first = await RelayAsync();
        var second = await RelayAsync();
        await using var alice = await Agent("alice", first).StartAsync();
        await using var bob = await Agent("bob", first).StartAsync();
        await using var carol = await Agent("carol", second).StartAsync();
        using var roomKey = EncryptionKeyPair.GenerateForTopic(alice.Identity, "ops");
        foreach (var agent in new[] { alice, bob, carol })
        {
            await agent.Client.JoinAsync("ops", roomKey).WaitAsync(TimeSpan.FromSeconds(30));
        }

        await alice.Client.WaitAcknowledgedAsync(alice.Client.Publish("ops", Utf8("from alice"))).WaitAsync(TimeSpan.FromSeconds(30));
        await carol.Client.WaitAcknowledgedAsync(carol.Client.Publish("ops", Utf8("from carol"))).WaitAsync(TimeSpan.FromSeconds(30));

        await EventuallyAsync(() => bob.Received.Count >= 2 && carol.Received.Count >= 1 && alice.Received.Count >= 1, "every member hears the others");
        await Task.Delay(300); // time for a wrong extra copy to arrive
        Assert.Equal(["from alice", "from carol"], bob.Texts.Order());
        Assert.Equal(["from alice"], carol.Texts);
        Assert.Equal(["from carol"], alice.Texts);
    }

    [BrokerControlFact]
    public async Task A_room_left_by_every_member_of_a_relay_no_longer_reaches_it()
    {
        var first = await RelayAsync();
        var second = await RelayAsync();
        await using var alice = await Agent("alice", first).StartAsync();
        await using var carol = await Agent("carol", second).StartAsync();
        using var roomKey = EncryptionKeyPair.GenerateForTopic(alice.Identity, "ops");
        await alice.Client.JoinAsync("ops", roomKey).WaitAsync(TimeSpan.FromSeconds(30));
        await carol.Client.JoinAsync("ops", roomKey).WaitAsync(TimeSpan.FromSeconds(30));
        var rooms = _prefix + ".rooms";
        var secondQueue = $"{_prefix}.relay.{second.Id}";
        var key = Synapse.Relay.RabbitMQ.BrokerTopology.RoomKey("ops");
        Assert.Contains(key, await Broker.BindingKeysAsync(rooms, secondQueue)); // bound before carol's 'joined'

        Assert.True(carol.Client.Leave("ops"));
        await EventuallyAsync(() => !second.Router.Rooms.HasMembers("ops"), "carol has left");
        Assert.Equal(0, second.Router.Rooms.Count); // the room went with its last member here
        for (var attempt = 0; (await Broker.BindingKeysAsync(rooms, secondQueue)).Contains(key); attempt++)
        {
            Assert.True(attempt < 20, "the second relay's queue is still bound to the room");
            await Task.Delay(250);
        }

        Assert.Contains(key, await Broker.BindingKeysAsync(rooms, $"{_prefix}.relay.{first.Id}")); // alice is still there
    }

    [BrokerFact]
    public async Task Cards_published_on_one_relay_are_found_on_another_and_by_a_relay_started_later()
    {
        var first = await RelayAsync();
        var second = await RelayAsync();
        await using var alice = await Agent("alice", first).StartAsync();
        await using var bob = await Agent("bob", second).StartAsync();
        var now = DateTimeOffset.UtcNow;
        var card = AgentCard.Sign(alice.Identity, "alice", "critic", "reviews code", [new AgentCapability("code-review", "", "{}", "{}")],
            [new RelayAddress("127.0.0.1:7400")], alice.EncryptionKey.Certificate, now, now.AddHours(1));
        await alice.Client.PublishCardAsync(card).WaitAsync(TimeSpan.FromSeconds(30));

        await EventuallyAsync(() => second.Directory.Get(alice.Identity.Id) is not null, "the second relay learns the card");
        var found = await bob.Client.FindAgentsAsync(new AgentQuery { Capability = "code-review" }).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(alice.Identity.Id, Assert.Single(found.Cards).Agent);

        var third = await RelayAsync();
        await EventuallyAsync(() => third.Directory.Get(alice.Identity.Id) is not null, "a relay started later asks for the cards");
    }

    [BrokerFact]
    public async Task A_full_durable_mailbox_makes_senders_retry_until_the_recipient_drains_it()
    {
        var (relay, log) = await Broker.StartRelayAsync(_prefix, options => options with { Mailbox = new MailboxOptions { MaxMessages = 3 } });
        await using var _1 = relay;
        using var bobIdentity = AgentIdentity.Generate();
        using var bobKey = EncryptionKeyPair.Derive(bobIdentity);
        await using var alice = await Agent("alice", relay).StartAsync();
        var ids = Enumerable.Range(0, 5).Select(i => alice.Client.Send(bobKey.Certificate, Utf8($"n{i}"))).ToList();
        await EventuallyAsync(() => log.ToString().Contains("mailbox_full"), "the broker refuses the fourth message");
        Assert.True(alice.Client.PendingCount >= 2);

        await using var bob = await new TestAgent("bob", [new RelayEndpoint(relay.LocalEndPoint, relay.Id)], null, AgentIdentity.FromSeed(bobIdentity.Seed)).StartAsync();
        foreach (var id in ids)
        {
            await alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
        }

        await EventuallyAsync(() => bob.Received.Count >= 5, "bob receives all five");
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"n{i}"), bob.Texts.Order());
    }
}
