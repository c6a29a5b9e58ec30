using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Tests.Swarm;

/// <summary>The conversation log: bounded, deduplicated, and synced by a node that missed it.</summary>
public sealed class SwarmConversationTests
{
    private static readonly SwarmPeer Author = new("author", "127.0.0.1", 1) { Swarm = "lab", Team = "default", Name = "author" };

    [Fact]
    public void A_conversation_keeps_its_head_and_its_newest_events()
    {
        var log = new SwarmConversations(new SwarmOptions { MaxConversationEvents = 3 });

        for (var i = 0; i < 10; i++)
        {
            log.TryAdd(Event("c", $"e{i}", i));
        }

        Assert.Equal(["e0", "e8", "e9"], log.Get("c").Select(e => e.EventId));
        Assert.False(log.TryAdd(Event("c", "e1", 1))); // forgotten, but remembered: gossip cannot bring it back
    }

    [Fact]
    public void Past_its_bound_the_log_forgets_the_conversation_updated_longest_ago()
    {
        var log = new SwarmConversations(new SwarmOptions { MaxConversations = 2 });
        log.TryAdd(Event("a", "a1", 1));
        log.TryAdd(Event("b", "b1", 2));
        log.TryAdd(Event("a", "a2", 3));

        log.TryAdd(Event("c", "c1", 4));

        Assert.Equal(["a", "c"], log.ConversationIds);
        Assert.Empty(log.Get("b"));
    }

    [Fact]
    public void Remembered_ids_are_bounded_too()
    {
        var log = new SwarmConversations(new SwarmOptions { MaxConversationEvents = 2, MaxRememberedEventIds = 4 });
        for (var i = 0; i < 100_000; i++)
        {
            log.TryAdd(Event($"c{i % 7}", $"e{i}", i));
        }

        Assert.True(log.TryAdd(Event("c0", "e0", 0))); // long forgotten: the memory of ids is bounded
        Assert.True(log.TryAddReply("n", "p"));
        Assert.False(log.TryAddReply("n", "p"));
    }

    [Fact]
    public async Task A_flood_of_gossiped_events_leaves_the_log_within_its_bounds()
    {
        await using var node = await SwarmHostTests.StartNodeAsync("flooded", heartbeat: 60, timeout: 120, configure: o => (o.MaxConversations, o.MaxConversationEvents, o.MaxRememberedEventIds) = (10, 5, 100));
        await using var client = new Synapse.Client.SynapseClient("127.0.0.1", node.Port);

        for (var i = 0; i < 2_000; i++)
        {
            // 50 conversations in turn, then one conversation alone
            var stored = await client.CallAsync("_synapse.conversation.event", [Event(i < 1_500 ? $"c{i % 50}" : "last", $"e{i}", i).ToMsgPack()]);
            Assert.True(stored["stored"]!.AsBoolean());
        }

        var log = node.Host.SwarmNode!.Conversations;
        Assert.Equal(10, log.ConversationIds.Count);
        Assert.All(log.ConversationIds, id => Assert.InRange(log.Get(id).Count, 1, 5));
        Assert.Equal(["e1500", "e1996", "e1997", "e1998", "e1999"], log.Get("last").Select(e => e.EventId));
    }

    [Fact]
    public void Since_returns_the_events_after_a_time_oldest_first()
    {
        var log = new SwarmConversations();
        log.TryAdd(Event("c", "late", 30));
        log.TryAdd(Event("c", "early", 10));
        log.TryAdd(Event("c", "middle", 20));

        Assert.Equal(["middle", "late"], log.Since("c", 10).Select(e => e.EventId));
        Assert.Empty(log.Since("unknown", 0));
    }

    [Fact]
    public async Task A_node_that_joined_late_syncs_a_conversation_it_missed()
    {
        await using var first = await SwarmHostTests.StartNodeAsync("first", heartbeat: 60, timeout: 120);
        for (var i = 1; i <= 3; i++)
        {
            first.Host.SwarmNode!.Conversations.TryAdd(Event("talk", $"e{i}", i));
        }

        await using var late = await SwarmHostTests.StartNodeAsync("late", $"127.0.0.1:{first.Port}", heartbeat: 60, timeout: 120);
        var node = late.Host.SwarmNode!;
        await node.Joined.WaitAsync(TimeSpan.FromSeconds(30));
        var peer = node.Membership.Peers.Single(p => p.Id == "first");

        var all = await node.SyncConversationAsync(peer, "talk");
        var after = await node.SyncConversationAsync(peer, "talk", since: 2);
        await using var client = new Synapse.Client.SynapseClient("127.0.0.1", first.Port);
        var listed = await client.CallAsync("_synapse.conversation.list");

        Assert.Equal(["e1", "e2", "e3"], all.Select(e => e.EventId));
        Assert.Equal(["e3"], after.Select(e => e.EventId));
        Assert.Equal(["e1", "e2", "e3"], node.Conversations.Get("talk").Select(e => e.EventId));
        Assert.Equal(["talk"], listed.AsArray().Select(v => v.AsString()));
    }

    [Fact]
    public async Task Synced_events_of_another_swarm_are_skipped()
    {
        await using var first = await SwarmHostTests.StartNodeAsync("first", heartbeat: 60, timeout: 120);
        var log = first.Host.SwarmNode!.Conversations;
        log.TryAdd(Event("mixed", "ours", 1));
        log.TryAdd(Event("mixed", "theirs", 2) with { Peer = Author with { Swarm = "elsewhere" } });
        await using var late = await SwarmHostTests.StartNodeAsync("late", $"127.0.0.1:{first.Port}", heartbeat: 60, timeout: 120);
        var node = late.Host.SwarmNode!;
        await node.Joined.WaitAsync(TimeSpan.FromSeconds(30));

        var synced = await node.SyncConversationAsync(node.Membership.Peers.Single(p => p.Id == "first"), "mixed");

        Assert.Equal(["ours"], synced.Select(e => e.EventId));
        Assert.Equal(["ours"], node.Conversations.Get("mixed").Select(e => e.EventId));
    }

    [Fact]
    public async Task A_sync_answer_holds_what_fits_and_the_caller_asks_again_for_the_rest()
    {
        await using var first = await SwarmHostTests.StartNodeAsync("first", heartbeat: 60, timeout: 120);
        var big = new string('x', 100_000);
        for (var i = 1; i <= 60; i++)
        {
            first.Host.SwarmNode!.Conversations.TryAdd(Event("big", $"e{i}", i, big));
        }

        await using var late = await SwarmHostTests.StartNodeAsync("late", $"127.0.0.1:{first.Port}", heartbeat: 60, timeout: 120);
        var node = late.Host.SwarmNode!;
        await node.Joined.WaitAsync(TimeSpan.FromSeconds(30));
        var peer = node.Membership.Peers.Single(p => p.Id == "first");

        var synced = new List<SwarmConversationEvent>();
        var since = 0.0;
        while ((await node.SyncConversationAsync(peer, "big", since)) is { Count: > 0 } batch)
        {
            Assert.True(batch.Count < 60, "60 events of 100 KB do not fit one 4 MiB answer");
            synced.AddRange(batch);
            since = batch[^1].CreatedAt;
        }

        Assert.Equal(Enumerable.Range(1, 60).Select(i => $"e{i}"), synced.Select(e => e.EventId));
    }

    private static SwarmConversationEvent Event(string conversation, string id, double createdAt, string? text = null) =>
        new(conversation, id, "message", Author, MsgPackValue.Map([("text", text ?? id)]), null, createdAt, SwarmConversationEvent.EmptyMap);
}
