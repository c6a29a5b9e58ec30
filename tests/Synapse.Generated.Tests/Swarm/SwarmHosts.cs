using Synapse.Hosting;
using Synapse.Swarm;

namespace Synapse.Generated.Tests.Swarm;

/// <summary>Generated agents as members of swarm "lab" on loopback, heartbeating every 200 ms.</summary>
internal static class SwarmHosts
{
    /// <summary>Starts <paramref name="agent"/> as node <paramref name="id"/>, joining the node at <paramref name="seedPort"/> when given.</summary>
    public static async Task<AgentHost> StartAsync(Synapse.Rpc.IAgentNode agent, string id, int? seedPort, Action<SwarmOptions>? configure = null)
    {
        var swarm = new SwarmOptions { Swarm = "lab", HeartbeatInterval = TimeSpan.FromMilliseconds(200), PeerTimeout = TimeSpan.FromSeconds(10), CallTimeout = TimeSpan.FromSeconds(5) };
        if (seedPort is { } port)
        {
            swarm.Seeds.Add($"127.0.0.1:{port}");
        }

        configure?.Invoke(swarm);
        var host = new AgentHost(agent, new AgentHostOptions { NodeId = id, SwarmNode = swarm });
        await host.StartAsync();
        return host;
    }
}
