using Synapse.Client;
using Synapse.Hosting;
using Synapse.Rpc;

namespace Synapse.Generated.Tests;

/// <summary>The generated typed clients against a real host over loopback TCP.</summary>
public class ClientEndToEndTests
{
    [Fact]
    public async Task Calculator_client_calls_the_host()
    {
        await using var host = new AgentHost(new Calculator(), new AgentHostOptions { Port = 0 });
        await host.StartAsync();
        await using var connection = new SynapseClient("127.0.0.1", host.Port);
        var client = new CalculatorClient(connection);

        Assert.Same(connection, client.Client);
        Assert.Equal(3, await client.SumAsync(1, 2));
        Assert.Equal(7.0, await client.ScaleAsync(3, offset: 1));
        Assert.Equal("ann:Panicking", await client.GreetAsync("ann", Mood.Panicking));
        Assert.Equal("nobody:Busy", await client.GreetAsync());
        await client.NoopAsync();
    }

    [Fact]
    public async Task Worker_client_sends_messages_and_collections()
    {
        var worker = new Worker();
        await using var host = new AgentHost(worker, new AgentHostOptions { Port = 0 });
        await host.StartAsync();
        await using var connection = new SynapseClient("127.0.0.1", host.Port);
        var client = new WorkerClient(connection);

        var job = await client.SubmitAsync(new Job("ship", Tags: new[] { "a" }) { Steps = { new Step { Name = "s" } } });
        Assert.Equal("ship!", job.Title);
        Assert.Equal(new[] { "a" }, job.Tags);
        Assert.Equal("s", job.Steps[0].Name);

        Assert.Equal("who", await client.WhoAsync());
        await client.FireAsync("hello");
        Assert.Contains("hello", worker.Log);
        Assert.Equal(42, await client.HiddenAsync());

        var echoed = await client.EchoAllAsync(
            new List<Mood?> { Mood.Calm, null },
            null,
            new byte[] { 9 },
            new byte[] { 8, 7 },
            DateTimeOffset.FromUnixTimeSeconds(5),
            0.5f,
            ulong.MaxValue,
            sbyte.MinValue,
            new Point { X = 1, Y = 2 },
            Synapse.MessagePack.MsgPackValue.From(3),
            new[] { "x" });
        Assert.Equal(new[] { 1, -1 }, echoed["moods"]);
        Assert.Equal(new[] { -1 }, echoed["ids"]);
        Assert.Equal(new[] { 8, 7 }, echoed["memory"]);
        Assert.Equal(new[] { -128 }, echoed["small"]);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.SlowAsync(-5));
        Assert.Equal(RpcErrorCodes.InternalError, error.Code);
    }
}
