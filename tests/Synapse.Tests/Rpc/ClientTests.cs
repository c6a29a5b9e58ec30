using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Tests.Rpc;

public sealed class ClientTests
{
    [Fact]
    public async Task Client_negotiates_a_multiplexed_connection_with_a_synapse_host()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        var sum = await client.CallAsync("sum", [1, 2]);
        var byName = await client.CallAsync("sum", kwargs: new Dictionary<string, MsgPackValue> { ["a"] = 40, ["b"] = 2 });

        Assert.Equal(3, sum.AsInt64());
        Assert.Equal(42, byName.AsInt64());
        Assert.Equal(ConnectionMode.Multiplexed, client.NegotiatedMode);
        Assert.Equal(1, host.Host.ConnectionCount);
    }

    [Fact]
    public async Task Client_falls_back_to_one_connection_per_call_with_a_synapse_p2p_style_peer()
    {
        // With multiplexing off the host behaves exactly like a Python node: hello is an unregistered endpoint
        // and every connection serves one request.
        await using var host = await TestHost.StartAsync(o => o.EnableMultiplexing = false);
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.CallAsync("sum", [i, 1])));

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), results.Select(r => r.AsInt64()));
        Assert.Equal(ConnectionMode.PerCall, client.NegotiatedMode);
    }

    [Fact]
    public async Task Requiring_multiplexing_from_a_peer_without_it_fails_clearly()
    {
        await using var host = await TestHost.StartAsync(o => o.EnableMultiplexing = false);
        await using var client = new SynapseClient("127.0.0.1", host.Port, new SynapseClientOptions { Mode = ConnectionMode.Multiplexed });

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("sum", [1, 2]));

        Assert.Equal(RpcErrorCodes.ProtocolError, error.Code);
        Assert.Contains("does not offer multiplexed connections", error.Message);
    }

    [Fact]
    public async Task Many_calls_in_flight_on_one_connection_complete_out_of_order()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port);
        var delays = Enumerable.Range(0, 64).Select(i => (long)(64 - i) * 3).ToArray();
        var completionOrder = new List<long>();

        var calls = delays.Select(async d =>
        {
            var result = (await client.CallAsync("slow", [d])).AsInt64();
            lock (completionOrder)
            {
                completionOrder.Add(result);
            }

            return result;
        }).ToArray();
        var results = await Task.WhenAll(calls);

        Assert.Equal(delays, results);
        Assert.NotEqual(delays, completionOrder); // the longest call was sent first and finished last
        Assert.Equal(1, host.Host.ConnectionCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cancelling_a_call_cancels_the_handler(bool multiplexed)
    {
        await using var host = await TestHost.StartAsync(o => o.EnableMultiplexing = multiplexed);
        await using var client = new SynapseClient("127.0.0.1", host.Port);
        await client.PingAsync();
        using var cts = new CancellationTokenSource();

        var call = client.CallAsync("slow", [60_000], cancellationToken: cts.Token);
        await host.Agent.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(await host.Agent.SlowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_call_past_its_timeout_fails_with_the_timeout_code()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        var error = await Assert.ThrowsAsync<RpcTimeoutException>(() => client.CallAsync("slow", [60_000], timeout: TimeSpan.FromMilliseconds(100)));

        Assert.Equal(RpcErrorCodes.Timeout, error.Code);
        Assert.Equal("slow", error.Endpoint);
        Assert.True(await host.Agent.SlowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Errors_carry_the_wire_code_and_message()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        var internalError = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("fail"));
        var badRequest = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("nope"));

        Assert.Equal((RpcErrorCodes.InternalError, "kaboom"), (internalError.Code, internalError.Message));
        Assert.Equal((RpcErrorCodes.BadRequest, "Unregistered endpoint called: nope"), (badRequest.Code, badRequest.Message));
        Assert.Equal(3, (await client.CallAsync("sum", [1, 2])).AsInt64()); // the connection survives errors
    }

    [Fact]
    public async Task Unreachable_peer_is_a_connection_failure()
    {
        var port = FreePort();
        await using var client = new SynapseClient("127.0.0.1", port);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.PingAsync());

        Assert.Equal(RpcErrorCodes.ConnectionFailed, error.Code);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
    }

    [Fact]
    public async Task Requests_over_the_limit_fail_locally_and_responses_over_the_clients_limit_become_errors()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port, new SynapseClientOptions { MaxFrameSize = 250 });

        var request = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("echo", [new string('x', 250)]));
        var response = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("_agent.capabilities"));

        Assert.Equal(RpcErrorCodes.BadRequest, request.Code);
        Assert.StartsWith("request too large: ", request.Message);
        // The client announced its limit in hello, so the host answers with an error instead of an oversize frame.
        Assert.Equal(RpcErrorCodes.InternalError, response.Code);
        Assert.Matches(@"^response too large: \d+ > 250$", response.Message);
        Assert.Equal("pong", await client.PingAsync());
        Assert.Equal(1, host.Host.ConnectionCount);
    }

    [Fact]
    public async Task A_result_the_reader_rejects_fails_only_that_call()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync<int, int>(
            "sum",
            0,
            static (ref MsgPackWriter writer, in int _) =>
            {
                writer.WriteArrayHeader(2);
                writer.WriteInt32(1);
                writer.WriteInt32(2);
            },
            static (ref MsgPackReader reader) => throw new FormatException("not what I expected")));

        Assert.Equal(RpcErrorCodes.ProtocolError, error.Code);
        Assert.Contains("not what I expected", error.Message);
        Assert.Equal(3, (await client.CallAsync("sum", [1, 2])).AsInt64());
    }

    [Fact]
    public async Task A_busy_host_is_an_error_of_the_attempt_not_a_downgrade()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxConnections = 1);
        await using var client = new SynapseClient("127.0.0.1", host.Port);
        await using (var occupant = new SynapseClient("127.0.0.1", host.Port))
        {
            Assert.Equal("pong", await occupant.PingAsync()); // a proved caller holds the one slot

            var busy = await Assert.ThrowsAsync<RpcException>(() => client.PingAsync());

            Assert.Equal("server busy: connection limit of 1 reached", busy.Message);
            Assert.Null(client.NegotiatedMode);
        }

        await WireCompatibilityTests.WaitUntilAsync(() => host.Host.ConnectionCount == 0);
        Assert.Equal("pong", await client.PingAsync());
        Assert.Equal(ConnectionMode.Multiplexed, client.NegotiatedMode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cancel_notices_get_through_a_connection_at_its_call_limit(bool secure)
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.MaxConcurrentCallsPerConnection = 2;
            o.SecureLinks = Synapse.Hosting.SecureLinkPolicy.Optional;
        });
        await using var client = new SynapseClient("127.0.0.1", host.Port, new SynapseClientOptions { Security = secure ? LinkSecurity.Required : LinkSecurity.Disabled });
        await client.PingAsync();
        using var first = new CancellationTokenSource();

        var calls = new[]
        {
            client.CallAsync("slow", [60_000], cancellationToken: first.Token),
            client.CallAsync("slow", [60_000], timeout: TimeSpan.FromSeconds(20)),
            client.CallAsync("slow", [1], timeout: TimeSpan.FromSeconds(20)),
        };
        await host.Agent.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        await first.CancelAsync();

        Assert.True(await host.Agent.SlowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => calls[0]);
        Assert.Equal(1, (await calls[2].WaitAsync(TimeSpan.FromSeconds(10))).AsInt64()); // took the freed slot
    }

    [Fact]
    public async Task Client_reconnects_after_the_host_restarts()
    {
        var port = FreePort();
        await using var client = new SynapseClient("127.0.0.1", port);
        await using (var first = await TestHost.StartAsync(o => o.Port = port))
        {
            Assert.Equal("pong", await client.PingAsync());
        }

        await using var second = await TestHost.StartAsync(o => o.Port = port);
        var error = await Record.ExceptionAsync(() => client.PingAsync());
        var afterReconnect = await client.PingAsync();

        Assert.True(error is null or RpcException { Code: RpcErrorCodes.ConnectionFailed });
        Assert.Equal("pong", afterReconnect);
    }

    [Fact]
    public async Task Recycled_calls_are_not_cancelled_by_the_connection_that_used_them_before()
    {
        // One request per connection: each connection ends after its call, and its invocation goes back to the pool.
        await using var host = await TestHost.StartAsync(o => o.EnableMultiplexing = false);
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(5, (await client.CallAsync("slow", [5])).AsInt64());
        }
    }

    [Fact]
    public async Task Concurrent_stop_and_dispose_shut_down_once()
    {
        var host = await TestHost.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port);
        await client.PingAsync();

        await Task.WhenAll(host.Host.StopAsync(), host.DisposeAsync().AsTask(), host.Host.StopAsync());

        Assert.Equal(0, host.Host.ConnectionCount);
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Host.StartAsync());
    }

    [Fact]
    public async Task Stop_drains_calls_in_flight_and_refuses_new_connections()
    {
        var host = await TestHost.StartAsync();
        var client = new SynapseClient("127.0.0.1", host.Port);
        var call = client.CallAsync("slow", [300]);
        await host.Agent.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await host.Host.StopAsync();

        Assert.Equal(300, (await call).AsInt64());
        await using var late = new SynapseClient("127.0.0.1", host.Port);
        var refused = await Assert.ThrowsAsync<RpcException>(() => late.PingAsync());
        Assert.Equal(RpcErrorCodes.ConnectionFailed, refused.Code);
        await client.DisposeAsync();
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Stop_cancels_calls_that_outlive_the_drain_timeout()
    {
        await using var host = await TestHost.StartAsync(o => o.DrainTimeout = TimeSpan.FromMilliseconds(100));
        await using var client = new SynapseClient("127.0.0.1", host.Port);
        var call = client.CallAsync("slow", [60_000]);
        await host.Agent.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await host.Host.StopAsync();

        Assert.True(await host.Agent.SlowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<RpcException>(() => call);
    }

    [Fact]
    public async Task Background_jobs_run_at_start_and_keep_their_schedule_after_a_failure()
    {
        await using var host = await TestHost.StartAsync();

        await WireCompatibilityTests.WaitUntilAsync(() => Volatile.Read(ref host.Agent.BackgroundRuns) >= 4);
        await host.Host.StopAsync();
        var runs = Volatile.Read(ref host.Agent.BackgroundRuns);
        await Task.Delay(100);

        Assert.Equal(runs, Volatile.Read(ref host.Agent.BackgroundRuns));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
