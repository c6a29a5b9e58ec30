using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Synapse.Swarm;
using Synapse.Tests.Rpc;

namespace Synapse.Tests.Swarm;

/// <summary>A swarm node logs through its host's logger factory, under its own type name.</summary>
public sealed class SwarmLoggingTests
{
    [Fact]
    public async Task A_seed_that_does_not_answer_is_logged_under_the_swarm_nodes_name()
    {
        var logs = new ListLoggerFactory();
        var seed = $"127.0.0.1:{ClosedPort()}";
        await using var node = await TestHost.StartAsync(
            options => options.SwarmNode = new SwarmOptions { Swarm = "lab", HeartbeatInterval = null, CallTimeout = TimeSpan.FromSeconds(2), Seeds = { seed } },
            logs: logs);

        await Eventually.HoldsAsync(() => logs.Entries.Any(e => e.EventId.Id == 300), "the failed join is logged");

        var failed = logs.Entries.First(e => e.EventId.Id == 300);
        Assert.Equal(("Synapse.Swarm.SwarmNode", LogLevel.Debug), (failed.Category, failed.Level));
        Assert.Equal($"Swarm call {SwarmEndpoints.Join} to {seed} failed", failed.Message);
        Assert.NotNull(failed.Exception);
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
