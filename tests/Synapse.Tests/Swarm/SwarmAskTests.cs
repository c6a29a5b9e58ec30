using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Swarm;
using Synapse.Tests.Rpc;

namespace Synapse.Tests.Swarm;

/// <summary>Swarm asks between C# nodes: deferred answer, ACK event, then the reply or an error event.</summary>
public sealed class SwarmAskTests
{
    private static async Task<MsgPackValue> AskAsync(TestHost worker, TestHost origin, string task, string nonce)
    {
        await using var client = new SynapseClient("127.0.0.1", worker.Port, new SynapseClientOptions { Mode = ConnectionMode.PerCall, Security = LinkSecurity.Disabled });
        var broadcast = MsgPackValue.FromMap(new KeyValuePair<string, MsgPackValue>[]
        {
            new("nonce", nonce),
            new("origin", origin.Host.SwarmNode!.Self.ToMsgPack()),
            new("endpoint", "synapse.ask"),
        });
        return await client.CallAsync("synapse.ask", [task], new Dictionary<string, MsgPackValue> { ["broadcast"] = broadcast, ["context"] = MsgPackValue.ParseJson("""{"url":"x"}""") });
    }

    private static string[] Kinds(TestHost node, string nonce) => [.. node.Host.SwarmNode!.Conversations.Get(nonce).Select(e => e.Kind)];

    [Fact]
    public async Task A_swarm_ask_is_deferred_then_acknowledged_then_answered()
    {
        await using var origin = await SwarmHostTests.StartNodeAsync("origin", heartbeat: 60, timeout: 120);
        await using var worker = await SwarmHostTests.StartNodeAsync("worker", heartbeat: 60, timeout: 120, withTaskHandler: true);

        var answer = await AskAsync(worker, origin, "review PR 1", "n-1");

        Assert.Equal(MsgPackValue.ParseJson("""{"accepted":true,"deferred":true}"""), answer);
        await Eventually.HoldsAsync(() => Kinds(origin, "n-1").SequenceEqual(["ack", "reply"]), "the origin has the ack and the reply");
        var events = origin.Host.SwarmNode!.Conversations.Get("n-1");
        Assert.Equal(("worker", "n-1", "n-1"), (events[0].Peer.Id, events[0].ParentId, events[0].ConversationId));
        Assert.Equal("review PR 1", events[1].Payload["result"]!.AsString());
        Assert.Equal(["message", "ack", "reply"], Kinds(worker, "n-1"));
    }

    [Fact]
    public async Task A_node_that_serves_no_asks_refuses_one_at_once()
    {
        await using var origin = await SwarmHostTests.StartNodeAsync("origin", heartbeat: 60, timeout: 120);
        await using var listener = await SwarmHostTests.StartNodeAsync("listener", heartbeat: 60, timeout: 120, withTaskHandler: true, configure: o => o.ServeAsks = false);

        var refused = await Assert.ThrowsAsync<Synapse.Rpc.RpcException>(() => AskAsync(listener, origin, "review PR 1", "n-0"));

        Assert.Equal((Synapse.Rpc.RpcErrorCodes.BadRequest, "Unregistered endpoint called: synapse.ask"), (refused.Code, refused.Message));
        Assert.Empty(Kinds(origin, "n-0"));
    }

    [Fact]
    public async Task A_failing_task_sends_an_error_event_with_task_and_error()
    {
        await using var origin = await SwarmHostTests.StartNodeAsync("origin", heartbeat: 60, timeout: 120);
        await using var worker = await SwarmHostTests.StartNodeAsync("worker", heartbeat: 60, timeout: 120, withTaskHandler: true);

        await AskAsync(worker, origin, "explode", "n-2");

        await Eventually.HoldsAsync(() => Kinds(origin, "n-2").SequenceEqual(["ack", "error"]), "the origin has the ack and the error");
        var error = origin.Host.SwarmNode!.Conversations.Get("n-2")[1];
        Assert.Equal(MsgPackValue.ParseJson("""{"task":"explode","error":"task exploded"}"""), error.Payload);
    }

    [Fact]
    public async Task Events_are_deduplicated_by_id_and_replies_by_nonce_and_peer()
    {
        await using var node = await SwarmHostTests.StartNodeAsync("node", heartbeat: 60, timeout: 120);
        await using var client = new SynapseClient("127.0.0.1", node.Port, new SynapseClientOptions { Mode = ConnectionMode.PerCall, Security = LinkSecurity.Disabled });
        var peer = new SwarmPeer("p", "127.0.0.1", 1) { Swarm = "lab", Team = "default" };
        var ack = SwarmConversationEvent.Create("c", "ack", peer, SwarmConversationEvent.EmptyMap, "c", 1.0).ToMsgPack();
        var result = new Dictionary<string, MsgPackValue> { ["result"] = 42 };

        var first = await client.CallAsync("_synapse.conversation.event", [ack]);
        var again = await client.CallAsync("_synapse.conversation.event", [ack]);
        await client.CallAsync("_synapse.broadcast.reply", ["c", peer.ToMsgPack()], result);
        var reply = await client.CallAsync("_synapse.broadcast.reply", ["c", peer.ToMsgPack()], result);

        Assert.Equal(MsgPackValue.ParseJson("""{"ok":true,"stored":true}"""), first);
        Assert.Equal(MsgPackValue.ParseJson("""{"ok":true,"stored":false}"""), again);
        Assert.Equal(MsgPackValue.ParseJson("""{"ok":true}"""), reply);
        Assert.Equal(["ack", "reply"], Kinds(node, "c"));
        Assert.Equal(["p"], node.Host.SwarmNode!.Membership.Peers.Select(p => p.Id));
    }
}
