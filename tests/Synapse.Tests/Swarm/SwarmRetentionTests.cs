using Synapse.MessagePack;
using Synapse.Swarm;
using Synapse.Tests.Rpc;

namespace Synapse.Tests.Swarm;

/// <summary>Retention: events older than it are pruned periodically and refused when they arrive.</summary>
public sealed class SwarmRetentionTests
{
    private static readonly SwarmPeer Ann = new("ann-id", "127.0.0.1", 1) { Swarm = "lab", Team = "default", Name = "ann" };

    [Fact]
    public async Task Old_events_are_pruned_and_refused_and_the_pruning_is_reported()
    {
        var (host, pruned) = await StartKeeperAsync(handlerThrows: false);
        await using var _ = host;
        var node = host.Host.SwarmNode!;
        var attempt = 0;
        await Eventually.HoldsAsync(() => !node.Conversations.TryAdd(Event("old", $"ancient-{attempt++}", node.Membership.Now - 60)), "an event older than the retention is refused");

        Assert.True(node.Conversations.TryAdd(Event("fresh", "new", node.Membership.Now)));
        await Eventually.HoldsAsync(() => { lock (pruned) { return pruned.Contains("new"); } }, "the fresh event is pruned once it is older than the retention", TimeSpan.FromSeconds(30));

        Assert.Empty(node.Conversations.ConversationIds);
    }

    [Fact]
    public async Task A_throwing_pruned_handler_does_not_stop_the_pruning()
    {
        var (host, pruned) = await StartKeeperAsync(handlerThrows: true);
        await using var _ = host;
        var node = host.Host.SwarmNode!;

        Assert.True(node.Conversations.TryAdd(Event("first", "one", node.Membership.Now)));
        await Eventually.HoldsAsync(() => { lock (pruned) { return pruned.Contains("one"); } }, "the first event is pruned", TimeSpan.FromSeconds(30));
        Assert.True(node.Conversations.TryAdd(Event("second", "two", node.Membership.Now)));
        await Eventually.HoldsAsync(() => { lock (pruned) { return pruned.Contains("two"); } }, "pruning goes on after the handler threw", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Without_retention_nothing_is_pruned()
    {
        await using var host = await SwarmHostTests.StartNodeAsync("hoarder", heartbeat: 60, timeout: 120);
        var node = host.Host.SwarmNode!;

        Assert.True(node.Conversations.TryAdd(Event("old", "ancient", 1)));
        Assert.Empty(node.PruneConversations());
        Assert.Single(node.Conversations.Get("old"));
    }

    /// <summary>A node that keeps events for 400 ms, and the ids of the events its ConversationsPruned handler saw.</summary>
    private static async Task<(TestHost Host, List<string> Pruned)> StartKeeperAsync(bool handlerThrows)
    {
        var host = await SwarmHostTests.StartNodeAsync("keeper", heartbeat: 60, timeout: 120, configure: o => o.ConversationRetention = TimeSpan.FromMilliseconds(400));
        var pruned = new List<string>();
        host.Host.SwarmNode!.ConversationsPruned += (_, events) =>
        {
            lock (pruned)
            {
                pruned.AddRange(events.Select(e => e.EventId));
            }

            if (handlerThrows)
            {
                throw new InvalidOperationException("a faulty handler");
            }
        };
        return (host, pruned);
    }

    private static SwarmConversationEvent Event(string conversation, string id, double createdAt) =>
        new(conversation, id, "message", Ann, MsgPackValue.Map([("text", id)]), null, createdAt, SwarmConversationEvent.EmptyMap);
}
