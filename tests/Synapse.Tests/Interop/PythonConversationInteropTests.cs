using Synapse.MessagePack;
using Synapse.Swarm;
using Synapse.Tests.Swarm;

namespace Synapse.Tests.Interop;

/// <summary>A conversation synced after a late join, both ways, with the Python swarm peer written from the spec.</summary>
public sealed class PythonConversationInteropTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_csharp_node_that_joined_late_syncs_a_python_nodes_conversation()
    {
        await using var python = await PythonSwarmNode.StartAsync("lab", null, interval: 5, timeout: 60);
        var first = (await python.CommandAsync("say design first idea")).GetProperty("event_id").GetString();
        var second = (await python.CommandAsync("say design second idea")).GetProperty("event_id").GetString();
        await using var late = await SwarmHostTests.StartNodeAsync("csharp-late", $"127.0.0.1:{python.Port}", heartbeat: 5, timeout: 60);
        var node = late.Host.SwarmNode!;
        await node.Joined.WaitAsync(Patience);

        var synced = await node.SyncConversationAsync(node.Membership.Peers.Single(p => p.Id == python.Id), "design");

        Assert.Equal([first, second], synced.Select(e => e.EventId));
        Assert.Equal(["first idea", "second idea"], node.Conversations.Get("design").Select(e => e.Payload["text"]!.AsString()));
        Assert.All(synced, e => Assert.Equal(python.Id, e.Peer.Id));
    }

    [Fact]
    public async Task A_python_node_that_joined_late_syncs_a_csharp_nodes_conversation()
    {
        await using var csharp = await SwarmHostTests.StartNodeAsync("csharp-first", heartbeat: 5, timeout: 60);
        var node = csharp.Host.SwarmNode!;
        node.Conversations.TryAdd(SwarmConversationEvent.Create("plan", "message", node.Self, MsgPackValue.Map([("text", "ship it")]), null, 1_700_000_000.5));
        node.Conversations.TryAdd(SwarmConversationEvent.Create("plan", "ack", node.Self, SwarmConversationEvent.EmptyMap, null, 1_700_000_001.25));
        await using var python = await PythonSwarmNode.StartAsync("lab", csharp.Port, interval: 5, timeout: 60);

        var synced = await python.CommandAsync($"sync {csharp.Port} plan");
        var kinds = await python.CommandAsync("conversation plan");

        Assert.Equal(node.Conversations.Get("plan").Select(e => e.EventId), synced.EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["message", "ack"], kinds.EnumerateArray().Select(e => e.GetString()));
    }
}
