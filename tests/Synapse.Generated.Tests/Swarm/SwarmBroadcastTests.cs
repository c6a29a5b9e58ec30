using System.Collections.Concurrent;
using Synapse.Client;
using Synapse.Hosting;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Swarm;

namespace Synapse.Generated.Tests.Swarm;

/// <summary>Hears broadcasts: the generator binds the envelope, and the endpoint replies through it.</summary>
[AgentNode(Name = "listener")]
public sealed partial class Listener
{
    /// <summary>What <c>synapse.message</c> heard, with the broadcast's nonce (null for a direct call).</summary>
    public ConcurrentQueue<(string Text, string? Nonce)> Heard { get; } = new();

    /// <summary>synapse-p2p's <c>sn broadcast</c> endpoint: notes the text and replies to a broadcast.</summary>
    [Endpoint("synapse.message")]
    public async Task<string> Message(string text, SwarmBroadcast? broadcast, CancellationToken cancellationToken)
    {
        Heard.Enqueue((text, broadcast?.Nonce));
        if (broadcast is not null)
        {
            await broadcast.ReplyAsync(MsgPackValue.Map(("heard", text), ("by", "dotnet")), cancellationToken);
        }

        return "noted";
    }

    /// <summary>Answers broadcasts only.</summary>
    [Endpoint("origin.of")]
    public string OriginOf(SwarmBroadcast broadcast) => broadcast.Origin.Id;
}

/// <summary>
/// One-way broadcasts (synapse-p2p §1.9) between Synapse nodes and with the Python swarm peer written from the spec:
/// every known peer is called with the envelope, receivers reply through it, replies reach the origin once each.
/// </summary>
public sealed class SwarmBroadcastTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_peer_hears_a_broadcast_and_each_reply_reaches_the_origin_once()
    {
        var (a, b) = (new Listener(), new Listener());
        await using var seed = await StartAsync(new Listener(), "seed", null);
        await using var left = await StartAsync(a, "left", seed.Port);
        await using var right = await StartAsync(b, "right", seed.Port);
        var origin = seed.SwarmNode!;
        await Poll.UntilAsync(() => Task.FromResult(origin.Membership.Peers.Count), count => count == 2, Patience);
        var replied = new ConcurrentQueue<SwarmReply>();
        origin.BroadcastReplied += (_, e) => replied.Enqueue(e.Reply);

        var broadcast = await origin.BroadcastAsync("synapse.message", ["hello"]);
        var replies = await Poll.UntilAsync(() => Task.FromResult(origin.Replies(broadcast)), r => r.Count == 2, Patience);

        Assert.Equal([("hello", broadcast.Nonce)], a.Heard);
        Assert.Equal([("hello", broadcast.Nonce)], b.Heard);
        Assert.Equal(["left", "right"], replies.Select(r => r.Peer.Id).Order(StringComparer.Ordinal));
        Assert.All(replies, r => Assert.Equal("""{"heard":"hello","by":"dotnet"}""", r.Result.ToJson()));
        Assert.Equal(["left", "right"], replied.Select(r => r.Peer.Id).Order(StringComparer.Ordinal));
        var conversation = origin.Conversations.Get(broadcast.Nonce);
        Assert.Equal(["message", "reply", "reply"], conversation.Select(e => e.Kind));
        Assert.Equal("""{"endpoint":"synapse.message","args":["hello"],"kwargs":{}}""", conversation[0].Payload.ToJson());
        var heard = left.SwarmNode!.Conversations.Get(broadcast.Nonce);
        Assert.Equal(("message", "seed"), (heard[0].Kind, heard[0].Peer.Id));
        await Poll.UntilAsync(() => Task.FromResult(right.SwarmNode!.Replies(broadcast).Count), count => count == 2, Patience); // forwarded to the other peers
    }

    [Fact]
    public async Task Keywords_travel_with_the_envelope_and_the_receiver_is_told()
    {
        var listener = new Listener();
        await using var seed = await StartAsync(new Listener(), "seed", null);
        await using var receiver = await StartAsync(listener, "receiver", seed.Port);
        await Poll.UntilAsync(() => Task.FromResult(seed.SwarmNode!.Membership.Peers.Count), count => count == 1, Patience);
        var received = new TaskCompletionSource<SwarmBroadcastEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.SwarmNode!.BroadcastReceived += (_, e) => received.TrySetResult(e);

        var broadcast = await seed.SwarmNode!.BroadcastAsync("synapse.message", kwargs: new Dictionary<string, MsgPackValue> { ["text"] = "by keyword" });
        var told = await received.Task.WaitAsync(Patience);

        Assert.Equal([("by keyword", broadcast.Nonce)], listener.Heard);
        Assert.Equal((broadcast.Nonce, "seed", "synapse.message"), (told.Broadcast.Nonce, told.Broadcast.Origin.Id, told.Broadcast.Endpoint));
        Assert.Equal("""{"text":"by keyword"}""", told.KeywordArguments.ToJson());
        await Assert.ThrowsAsync<ArgumentException>(() => seed.SwarmNode!.BroadcastAsync("synapse.message", kwargs: new Dictionary<string, MsgPackValue> { ["broadcast"] = 1 }));
    }

    [Fact]
    public async Task A_direct_call_binds_no_envelope_and_an_endpoint_that_needs_one_refuses_it()
    {
        var listener = new Listener();
        await using var node = await StartAsync(listener, "node", null);
        await using var client = new SynapseClient("127.0.0.1", node.Port);

        Assert.Equal("noted", (await client.CallAsync("synapse.message", ["direct"])).AsString());
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("origin.of", []));

        Assert.Equal([("direct", (string?)null)], listener.Heard);
        Assert.Equal((RpcErrorCodes.BadRequest, "origin.of takes a broadcast: send it with a swarm broadcast"), (refused.Code, refused.Message));
    }

    [Fact]
    public async Task A_broadcast_from_a_stranger_or_a_malformed_envelope_is_refused()
    {
        var listener = new Listener();
        await using var node = await StartAsync(listener, "node", null);
        await using var client = new SynapseClient("127.0.0.1", node.Port);
        var stranger = new SwarmBroadcast("n1", new SwarmPeer("x", "127.0.0.1", 1) { Swarm = "elsewhere", Team = "default" }, "origin.of");

        var foreign = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("origin.of", [], new Dictionary<string, MsgPackValue> { ["broadcast"] = stranger.ToMsgPack() }));
        var malformed = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("origin.of", [], new Dictionary<string, MsgPackValue> { ["broadcast"] = MsgPackValue.Map(("nonce", 1)) }));

        Assert.Equal((RpcErrorCodes.BadRequest, "peer requested a different swarm"), (foreign.Code, foreign.Message));
        Assert.Equal((RpcErrorCodes.BadRequest, "malformed broadcast: broadcast has no string 'nonce'"), (malformed.Code, malformed.Message));
        Assert.Empty(node.SwarmNode!.Conversations.ConversationIds);
    }

    [Fact]
    public async Task A_broadcast_and_its_replies_go_both_ways_with_a_python_node()
    {
        var listener = new Listener();
        await using var node = await StartAsync(listener, "dotnet", null);
        await using var python = await PythonSwarmNode.StartAsync("lab", node.Port, 0.2, 10);
        await Poll.UntilAsync(() => Task.FromResult(node.SwarmNode!.Membership.Peers.Count), count => count == 1, Patience);

        var ours = await node.SwarmNode!.BroadcastAsync("synapse.message", ["from dotnet"]);
        var theirReply = await Poll.UntilAsync(() => Task.FromResult(node.SwarmNode!.Replies(ours)), r => r.Count == 1, Patience);
        var theirs = (await python.CommandAsync("broadcast synapse.message from python")).GetProperty("nonce").GetString()!;
        var ourReply = await Poll.UntilAsync(async () => await python.CommandAsync($"replies {theirs}"), r => r.GetArrayLength() == 1, Patience);
        var heardByPython = await python.CommandAsync("heard");

        Assert.Equal("""{"heard":"from dotnet","by":"python"}""", theirReply[0].Result.ToJson());
        Assert.Equal(python.Id, theirReply[0].Peer.Id);
        Assert.Equal(ours.Nonce, heardByPython[0].GetProperty("nonce").GetString());
        Assert.Equal([("from python", theirs)], listener.Heard);
        Assert.Equal("dotnet", ourReply[0].GetProperty("peer").GetString());
        var result = ourReply[0].GetProperty("result");
        Assert.Equal(("from python", "dotnet"), (result.GetProperty("heard").GetString(), result.GetProperty("by").GetString()));
    }

    [Fact]
    public async Task Hooks_report_heartbeats_and_events_by_kind_and_a_failing_handler_does_not_stop_the_node()
    {
        await using var seed = await StartAsync(new Listener(), "seed", null);
        await using var member = await StartAsync(new Listener(), "member", seed.Port);
        var node = seed.SwarmNode!;
        var heartbeat = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.PeerHeartbeat += (_, e) => heartbeat.TrySetResult(e.Peer.Id);
        var replies = new ConcurrentQueue<string>();
        using var failing = node.OnConversationEvent("reply", _ => throw new InvalidOperationException("handler bug"));
        var subscription = node.OnConversationEvent("reply", e => replies.Enqueue(e.Peer.Id));
        await Poll.UntilAsync(() => Task.FromResult(node.Membership.Peers.Count), count => count == 1, Patience);

        Assert.Equal("member", await heartbeat.Task.WaitAsync(Patience));
        var first = await node.BroadcastAsync("synapse.message", ["one"]);
        await Poll.UntilAsync(() => Task.FromResult(replies.Count), count => count == 1, Patience);
        subscription.Dispose();
        var second = await node.BroadcastAsync("synapse.message", ["two"]);
        await Poll.UntilAsync(() => Task.FromResult(node.Replies(second).Count), count => count == 1, Patience);

        Assert.Equal(["member"], replies);
        Assert.Single(node.Replies(first));
    }

    private static Task<AgentHost> StartAsync(Listener agent, string id, int? seedPort) => SwarmHosts.StartAsync(agent, id, seedPort);
}
