using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Synapse.Client;
using Synapse.Rpc;

namespace Synapse.Tests.Rpc;

/// <summary>What <see cref="SynapseClient"/> logs through the factory it was given, under its own type name.</summary>
public sealed class ClientLoggingTests
{
    private const string Category = "Synapse.Client.SynapseClient";

    [Fact]
    public async Task Negotiating_a_multiplexed_secure_link_logs_the_peers_proven_id_once_and_calls_log_nothing()
    {
        await using var host = await TestHost.StartAsync();
        var logs = new ListLoggerFactory();
        await using var client = new SynapseClient("127.0.0.1", host.Port, loggerFactory: logs);

        for (var i = 0; i < 20; i++)
        {
            await client.CallAsync("sum", [i, 1]);
        }

        var negotiated = Assert.Single(logs.Entries);
        Assert.Equal((Category, 100, LogLevel.Information), (negotiated.Category, negotiated.EventId.Id, negotiated.Level));
        Assert.Equal($"Connected to 127.0.0.1:{host.Port}: multiplexed over a secure (Noise) link, peer agent {host.Host.Identity.Id}", negotiated.Message);
    }

    [Fact]
    public async Task A_plaintext_multiplexed_link_says_so()
    {
        await using var host = await TestHost.StartAsync(o => o.SecureLinks = Synapse.Hosting.SecureLinkPolicy.Optional);
        var logs = new ListLoggerFactory();
        await using var client = new SynapseClient("127.0.0.1", host.Port, new SynapseClientOptions { Security = LinkSecurity.Disabled }, logs);

        await client.PingAsync();

        Assert.Equal($"Connected to 127.0.0.1:{host.Port}: multiplexed over a plaintext link, peer agent not proved", Assert.Single(logs.Entries).Message);
    }

    [Fact]
    public async Task A_synapse_p2p_style_peer_is_logged_as_one_request_per_connection()
    {
        await using var host = await TestHost.StartAsync(o => o.EnableMultiplexing = false);
        var logs = new ListLoggerFactory();
        await using var client = new SynapseClient(new IPEndPoint(IPAddress.Loopback, host.Port), loggerFactory: logs);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => client.CallAsync("sum", [i, 1])));

        var negotiated = Assert.Single(logs.Entries);
        Assert.Equal((Category, 101, LogLevel.Information), (negotiated.Category, negotiated.EventId.Id, negotiated.Level));
        Assert.Equal($"Connected to 127.0.0.1:{host.Port}: it serves one request per connection (synapse-p2p); calls go one per connection over secure (Noise) links", negotiated.Message);
    }

    [Fact]
    public async Task A_timed_out_call_is_logged_at_debug()
    {
        await using var host = await TestHost.StartAsync();
        var logs = new ListLoggerFactory();
        await using var client = new SynapseClient("127.0.0.1", host.Port, loggerFactory: logs);

        await Assert.ThrowsAsync<RpcTimeoutException>(() => client.CallAsync("slow", [60_000], timeout: TimeSpan.FromMilliseconds(100)));

        var timedOut = Assert.Single(logs.Entries, e => e.EventId.Id == 104);
        Assert.Equal((Category, LogLevel.Debug), (timedOut.Category, timedOut.Level));
        Assert.Equal($"Call slow to 127.0.0.1:{host.Port} timed out after {TimeSpan.FromMilliseconds(100)}", timedOut.Message);
    }

    [Fact]
    public async Task A_lost_connection_is_a_warning_with_its_exception_and_the_next_call_renegotiates()
    {
        var port = FreePort();
        var logs = new ListLoggerFactory();
        await using var client = new SynapseClient("127.0.0.1", port, loggerFactory: logs);
        await using (var first = await TestHost.StartAsync(o => o.Port = port))
        {
            Assert.Equal("pong", await client.PingAsync());
        }

        await WaitForAsync(() => logs.Entries.Any(e => e.EventId.Id == 102));
        var lost = Assert.Single(logs.Entries, e => e.EventId.Id == 102);
        Assert.Equal((Category, LogLevel.Warning), (lost.Category, lost.Level));
        Assert.Equal($"The multiplexed connection to 127.0.0.1:{port} was lost; the next call negotiates again", lost.Message);
        Assert.NotNull(lost.Exception);

        await using var second = await TestHost.StartAsync(o => o.Port = port);
        Assert.Equal("pong", await client.PingAsync());

        Assert.Equal([100, 102, 103, 100], logs.Entries.Select(e => e.EventId.Id));
        Assert.Equal($"Reconnecting to 127.0.0.1:{port}: negotiating a new connection", logs.Entries.Single(e => e.EventId.Id == 103).Message);
    }

    [Fact]
    public async Task Disposing_the_client_is_not_a_lost_connection()
    {
        await using var host = await TestHost.StartAsync();
        var logs = new ListLoggerFactory();
        var client = new SynapseClient("127.0.0.1", host.Port, loggerFactory: logs);
        await client.PingAsync();

        await client.DisposeAsync();

        Assert.Equal([100], logs.Entries.Select(e => e.EventId.Id));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
