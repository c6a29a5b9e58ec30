using Synapse.Client;
using Synapse.Hosting;
using Synapse.Rpc;

namespace Synapse.Tests.Rpc;

/// <summary>How <see cref="AgentHost"/> starts, runs and stops, including the orders users write by mistake.</summary>
public sealed class HostLifecycleTests
{
    [Fact]
    public async Task RunAsync_on_a_started_host_runs_it_until_cancelled_then_stops_it()
    {
        await using var host = new AgentHost(new TestAgent());
        await host.StartAsync();
        using var stop = new CancellationTokenSource();

        var running = host.RunAsync(stop.Token);
        await using (var client = new SynapseClient("127.0.0.1", host.Port))
        {
            Assert.Equal("pong", await client.PingAsync());
        }

        Assert.False(running.IsCompleted);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        await using var late = new SynapseClient("127.0.0.1", host.Port);
        var refused = await Assert.ThrowsAsync<RpcException>(() => late.PingAsync());
        Assert.Equal(RpcErrorCodes.ConnectionFailed, refused.Code);
    }

    [Fact]
    public async Task RunAsync_starts_a_host_that_was_not_started()
    {
        await using var host = new AgentHost(new TestAgent());
        using var stop = new CancellationTokenSource();

        var running = host.RunAsync(stop.Token);
        await using (var client = new SynapseClient("127.0.0.1", host.Port))
        {
            Assert.Equal("pong", await client.PingAsync());
        }

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_returns_when_the_host_is_stopped_elsewhere()
    {
        await using var host = new AgentHost(new TestAgent());
        var running = host.RunAsync(CancellationToken.None);

        await host.StopAsync();

        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Starting_twice_says_how_to_run_a_started_host()
    {
        await using var host = new AgentHost(new TestAgent());
        await host.StartAsync();

        var twice = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("RunAsync", twice.Message);
    }

    [Fact]
    public async Task A_stopped_host_cannot_run_again()
    {
        await using var host = new AgentHost(new TestAgent());
        await host.StartAsync();
        await host.StopAsync();

        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => host.RunAsync(CancellationToken.None));

        Assert.Contains("new AgentHost", again.Message);
    }
}
