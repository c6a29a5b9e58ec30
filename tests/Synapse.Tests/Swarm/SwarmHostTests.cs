using Synapse.Client;
using Synapse.Hosting;
using Synapse.Reputation;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Swarm;
using Synapse.Tests.Rpc;

namespace Synapse.Tests.Swarm;

/// <summary>C# nodes forming a swarm through a seed, heartbeating and reaping (short intervals).</summary>
public sealed class SwarmHostTests
{
    internal static Task<TestHost> StartNodeAsync(string id, string? seed = null, double heartbeat = 0.1, double timeout = 0.6, bool withTaskHandler = false, Action<SwarmOptions>? configure = null) =>
        TestHost.StartAsync(options =>
        {
            options.NodeId = id;
            var swarm = new SwarmOptions
            {
                Swarm = "lab",
                HeartbeatInterval = TimeSpan.FromSeconds(heartbeat),
                PeerTimeout = TimeSpan.FromSeconds(timeout),
                CallTimeout = TimeSpan.FromSeconds(2),
            };
            if (seed is not null)
            {
                swarm.Seeds.Add(seed);
            }

            configure?.Invoke(swarm);
            options.SwarmNode = swarm;
        }, withTaskHandler);

    private static string[] Ids(TestHost node) => [.. node.Host.SwarmNode!.Membership.Peers.Select(p => p.Id).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Three_nodes_join_through_a_seed_and_learn_each_other_by_heartbeats()
    {
        await using var seed = await StartNodeAsync("seed");
        await using var a = await StartNodeAsync("a", $"127.0.0.1:{seed.Port}");
        await a.Host.SwarmNode!.Joined.WaitAsync(TimeSpan.FromSeconds(10));
        await using var b = await StartNodeAsync("b", $"127.0.0.1:{seed.Port}");

        await Eventually.HoldsAsync(() => Ids(seed).SequenceEqual(["a", "b"]) && Ids(a).SequenceEqual(["b", "seed"]) && Ids(b).SequenceEqual(["a", "seed"]), "every node knows the two others");
        var before = seed.Host.SwarmNode!.Membership.Peers.Single(p => p.Id == "a").LastSeen;
        await Eventually.HoldsAsync(() => seed.Host.SwarmNode!.Membership.Peers.Single(p => p.Id == "a").LastSeen > before, "a heartbeats the seed again");
    }

    [Fact]
    public async Task A_stopped_node_is_reaped_and_reported_offline()
    {
        await using var seed = await StartNodeAsync("seed");
        var offline = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        seed.Host.SwarmNode!.Membership.PeerOffline += (_, e) => offline.TrySetResult(e.Peer.Id);
        var a = await StartNodeAsync("a", $"127.0.0.1:{seed.Port}");
        await a.Host.SwarmNode!.Joined.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["a"], Ids(seed));

        await a.DisposeAsync();

        Assert.Equal("a", await offline.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(Ids(seed));
    }

    [Fact]
    public async Task Join_answers_the_spec_shape_and_refuses_strangers()
    {
        await using var seed = await StartNodeAsync("seed", heartbeat: 60, timeout: 120);
        await using var client = new SynapseClient("127.0.0.1", seed.Port, new SynapseClientOptions { Mode = ConnectionMode.PerCall, Security = LinkSecurity.Disabled });
        var joiner = new SwarmPeer("j", "127.0.0.1", 1) { Swarm = "lab", Team = "default" };

        var answer = await client.CallAsync("_synapse.join", [joiner.ToMsgPack()]);
        var heartbeat = await client.CallAsync("_synapse.heartbeat", [joiner.ToMsgPack()]);
        var peers = await client.CallAsync("_synapse.peers");
        var stranger = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("_synapse.join", [(joiner with { Swarm = "other" }).ToMsgPack()]));
        var extra = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("_synapse.join", [MsgPackValue.ParseJson("""{"id":"x","address":"h","port":1,"extra":1}""")]));

        Assert.Equal(["accepted", "self", "peers"], answer.AsMap().Select(e => e.Key.AsString()));
        Assert.True(answer["accepted"]!.AsBoolean());
        Assert.Equal("seed", SwarmPeer.FromMsgPack(answer["self"]!).Id);
        Assert.Empty(answer["peers"]!.AsArray());
        Assert.True(heartbeat["ok"]!.AsBoolean());
        Assert.Equal("seed", heartbeat["self"]!["id"]!.AsString());
        Assert.Equal("lab", heartbeat["self"]!["swarm"]!.AsString());
        Assert.Equal(["j"], peers.AsArray().Select(p => SwarmPeer.FromMsgPack(p).Id));
        Assert.Equal((RpcErrorCodes.BadRequest, "peer requested a different swarm"), (stranger.Code, stranger.Message));
        Assert.Equal((RpcErrorCodes.InternalError, "Peer.__init__() got an unexpected keyword argument 'extra'"), (extra.Code, extra.Message));
    }

    [Fact]
    public async Task Without_swarm_options_peers_is_an_empty_list_and_the_other_swarm_builtins_are_unregistered()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port, new SynapseClientOptions { Mode = ConnectionMode.PerCall, Security = LinkSecurity.Disabled });

        var peers = await client.CallAsync("_synapse.peers");
        var error = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("_synapse.heartbeat", [new SwarmPeer("x", "127.0.0.1", 1).ToMsgPack()]));

        Assert.Empty(peers.AsArray());
        Assert.Equal("Unregistered endpoint called: _synapse.heartbeat", error.Message);
        Assert.Null(host.Host.SwarmNode);
    }

    [Fact]
    public void The_swarm_attaches_to_the_host_options_once_and_null_detaches_it()
    {
        var options = new AgentHostOptions { ReputationBook = null };
        var first = new SwarmOptions { Swarm = "a" };
        var second = new SwarmOptions { Swarm = "b", Kind = SwarmPeerKinds.Bootstrap };

        options.SwarmNode = first;
        options.SwarmNode = second;

        Assert.Same(second, options.SwarmNode);
        Assert.Single(options.Features);
        Assert.Equal(("bootstrap", "b"), (options.Profile().Kind, options.Profile().Swarm));
        options.SwarmNode = null;
        Assert.Null(options.SwarmNode);
        Assert.Empty(options.Features);
        Assert.Equal(("node", null), (options.Profile().Kind, options.Profile().Swarm));
    }
}
