using Synapse.Hosting;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Swarm;

namespace Synapse.Cli.Tests;

/// <summary>A swarm member the <c>swarm</c> commands talk to: answers asks (or stalls), and replies to <c>synapse.message</c> broadcasts.</summary>
[AgentNode(Name = "cli-swarm")]
public partial class CliSwarmAgent
{
    /// <summary>Whether asks are acknowledged and then never answered.</summary>
    public bool Stall { get; set; }

    [TaskHandler]
    public async Task<MsgPackValue> AskAsync(string task, MsgPackValue? context, CancellationToken cancellationToken)
    {
        if (Stall)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return MsgPackValue.Map(("answer", $"dotnet did {task}"), ("context", context ?? MsgPackValue.Nil));
    }

    /// <summary>synapse-p2p's <c>sn broadcast</c> endpoint: replies to a broadcast.</summary>
    [Endpoint("synapse.message")]
    public async Task<string> Message(string text, SwarmBroadcast? broadcast, CancellationToken cancellationToken)
    {
        if (broadcast is not null)
        {
            await broadcast.ReplyAsync(MsgPackValue.Map(("heard", text), ("by", "dotnet")), cancellationToken);
        }

        return "noted";
    }

    /// <summary>Another broadcast endpoint, for <c>--endpoint</c>.</summary>
    [Endpoint("synapse.shout")]
    public Task Shout(string text, SwarmBroadcast broadcast, CancellationToken cancellationToken) =>
        broadcast.ReplyAsync(text.ToUpperInvariant(), cancellationToken);
}

/// <summary>C# members of swarm "lab" on loopback, heartbeating every 200 ms.</summary>
internal static class SwarmNodes
{
    public static async Task<AgentHost> StartAsync(string id, int? seedPort = null, CliSwarmAgent? agent = null)
    {
        var swarm = new SwarmOptions { Swarm = "lab", HeartbeatInterval = TimeSpan.FromMilliseconds(200), PeerTimeout = TimeSpan.FromSeconds(10) };
        if (seedPort is { } port)
        {
            swarm.Seeds.Add($"127.0.0.1:{port}");
        }

        var host = new AgentHost(agent ?? new CliSwarmAgent(), new AgentHostOptions { NodeId = id, SwarmNode = swarm });
        await host.StartAsync();
        if (seedPort is not null)
        {
            await host.SwarmNode!.Joined.WaitAsync(TimeSpan.FromSeconds(10));
        }

        return host;
    }

    /// <summary>Waits until <paramref name="host"/> knows <paramref name="count"/> peers.</summary>
    public static Task WaitForPeersAsync(AgentHost host, int count) =>
        Poll.UntilAsync(() => Task.FromResult(host.SwarmNode!.Membership.Peers.Count), n => n >= count, TimeSpan.FromSeconds(20));
}
