using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Synapse.Relay;
using Synapse.Relay.Summoner;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay.Summoner;

public sealed class SummonerRelayClientTests
{
    [Fact]
    public async Task Two_clients_exchange_typed_payloads_through_a_summoner_relay()
    {
        await using var relay = SummonerTestRelay.Start();
        await using var alice = await Agent.StartAsync(relay.EndPoint);
        await using var bob = await Agent.StartAsync(relay.EndPoint);
        await EventuallyAsync(() => relay.ClientCount == 2, "both clients registered");

        var question = JsonNode.Parse("{\"hello\": \"wörld 😀\", \"n\": 1, \"x\": 2.5, \"tags\": [\"[1,2]\", null]}");
        await alice.Client.SendAsync(question);
        var received = await bob.NextAsync();
        Assert.True(JsonNode.DeepEquals(question, received.Content), received.ToString());
        Assert.Equal("1.3.0", received.Version);
        Assert.StartsWith("127.0.0.1:", received.RemoteAddress, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetString(SummonerWire.WrapPayload(question)).TrimEnd('\n'), received.Text);

        await bob.Client.SendAsync(JsonValue.Create("an answer"));
        Assert.Equal("an answer", (await alice.NextAsync()).Content!.GetValue<string>());
        Assert.True(alice.Messages.IsEmpty, "the relay does not echo a sender's own line");
    }

    [Fact]
    public async Task A_throwing_handler_is_logged_and_later_messages_still_arrive()
    {
        await using var relay = SummonerTestRelay.Start();
        await using var alice = await Agent.StartAsync(relay.EndPoint);
        var calls = 0;
        await using var bob = await new Agent(new SummonerRelayClientOptions { Relays = [relay.EndPoint], Backoff = FastBackoff() }, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("handler bug"); // registered first: the handlers after it still run
        }).StartAsync();
        await EventuallyAsync(() => relay.ClientCount == 2, "both clients registered");

        for (var i = 0; i < 3; i++)
        {
            await alice.Client.SendAsync(i);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(i, (await bob.NextAsync()).Content!.GetValue<int>());
        }

        Assert.Equal(3, Volatile.Read(ref calls));
        Assert.Equal(3, bob.Log.Count(LogLevel.Error, "handler failed"));
        Assert.All(bob.Log.Entries.Where(e => e.Level == LogLevel.Error), e => Assert.IsType<InvalidOperationException>(e.Exception));
        Assert.Equal(2, relay.Accepted); // the same connection carried on
    }

    [Fact]
    public async Task A_relayed_line_over_the_limit_is_dropped_and_the_next_one_arrives()
    {
        await using var relay = SummonerTestRelay.Start();
        await using var alice = await Agent.StartAsync(relay.EndPoint);
        await using var bob = await new Agent(new SummonerRelayClientOptions { Relays = [relay.EndPoint], Backoff = FastBackoff(), MaxLineBytes = 4096 }).StartAsync();
        await EventuallyAsync(() => relay.ClientCount == 2, "both clients registered");

        await alice.Client.SendAsync(new string('"', 2000)); // 2 KB sent, over 6 KB once the relay has escaped it twice
        await alice.Client.SendAsync(new string('x', 100_000)); // spans several reads
        await alice.Client.SendAsync("next");

        Assert.Equal("next", (await bob.NextAsync()).Content!.GetValue<string>());
        Assert.True(bob.Messages.IsEmpty);
        Assert.Equal(2, bob.Log.Count(LogLevel.Warning, "dropped a relayed line"));
        Assert.Equal(2, relay.Accepted);
    }

    [Fact]
    public async Task Server_notices_are_delivered_as_notices_with_or_without_a_newline()
    {
        await using var relay = SummonerTestRelay.Start();
        await using var bob = await Agent.StartAsync(relay.EndPoint);
        await EventuallyAsync(() => relay.ClientCount == 1, "client registered");

        await relay.BroadcastRawAsync(Encoding.ASCII.GetBytes("Warning: You are sending messages too quickly. Please slow down.\n"));
        var slowDown = await bob.NextAsync();
        Assert.True(slowDown.IsNotice);
        Assert.Equal("Warning: You are sending messages too quickly. Please slow down.", slowDown.Text);

        await relay.DropClientsAsync(); // the Python server's last words carry no newline
        var disconnected = await bob.NextAsync();
        Assert.True(disconnected.IsNotice);
        Assert.Equal("Warning: Server disconnected.", disconnected.Text);
    }

    [Fact]
    public async Task A_client_fails_over_from_a_stopped_relay_to_the_next_one()
    {
        var first = SummonerTestRelay.Start();
        await using var second = SummonerTestRelay.Start();
        await using var alice = await Agent.StartAsync(first.EndPoint, second.EndPoint);
        await using var bob = await Agent.StartAsync(second.EndPoint);
        Assert.Equal(first.EndPoint, alice.Client.CurrentRelay);

        await first.DisposeAsync();
        Assert.True((await alice.NextAsync()).IsNotice);
        await EventuallyAsync(() => second.EndPoint.Equals(alice.Client.CurrentRelay) && second.ClientCount == 2, "alice on the second relay");

        await alice.Client.SendAsync("after failover");
        Assert.Equal("after failover", (await bob.NextAsync()).Content!.GetValue<string>());
    }

    [Fact]
    public async Task Lines_sent_while_no_relay_answers_wait_in_a_bounded_queue_and_go_out_in_order()
    {
        var port = FreePort();
        await using var alice = await new Agent(new SummonerRelayClientOptions { Relays = [new IPEndPoint(IPAddress.Loopback, port)], Backoff = FastBackoff(), SendQueueCapacity = 3 }).StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await alice.Client.SendAsync(i);
        }

        await Assert.ThrowsAsync<SummonerSendQueueFullException>(async () => await alice.Client.SendAsync(3));
        Assert.Equal(3, alice.Client.QueuedCount);

        await using var relay = SummonerTestRelay.Start(port);
        await alice.Client.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await EventuallyAsync(() => relay.Received.Count == 3, "the queued lines");
        Assert.Equal(Enumerable.Range(0, 3).Select(i => Encoding.ASCII.GetString(SummonerWire.WrapPayload(i))), relay.Received.Select(l => Encoding.ASCII.GetString(l)));
        Assert.Equal(0, alice.Client.QueuedCount);
    }

    [Fact]
    public async Task A_healthy_connection_restores_the_retry_budget()
    {
        await using var relay = SummonerTestRelay.Start();
        var backoff = FastBackoff() with { MaxAttempts = 2, HealthyAfter = TimeSpan.FromMilliseconds(100) };
        await using var alice = await new Agent(new SummonerRelayClientOptions { Relays = [relay.EndPoint], Backoff = backoff }).StartAsync();
        for (var drop = 1; drop <= 4; drop++) // Summoner's lifetime counter would have given up at the second drop
        {
            await EventuallyAsync(() => relay.ClientCount == 1 && alice.Client.CurrentRelay is not null, $"connection {drop}");
            await Task.Delay(250);
            await relay.DropClientsAsync();
            await EventuallyAsync(() => relay.Accepted == drop + 1, $"reconnection after drop {drop}");
        }

        await alice.Client.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Connections_that_drop_at_once_spend_the_budget_and_the_client_gives_up()
    {
        await using var relay = SummonerTestRelay.Start();
        relay.CloseOnAccept = true;
        var backoff = FastBackoff() with { MaxAttempts = 3, HealthyAfter = TimeSpan.FromHours(1) };
        await using var alice = await new Agent(new SummonerRelayClientOptions { Relays = [relay.EndPoint], Backoff = backoff }).StartAsync();

        await EventuallyAsync(() => alice.Log.Count(LogLevel.Error, "giving up") == 1, "the client to give up");
        Assert.Equal(3, relay.Accepted);
        await Assert.ThrowsAsync<InvalidOperationException>(() => alice.Client.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await alice.Client.SendAsync("too late"));
    }

    private static ReconnectBackoffOptions FastBackoff() =>
        new() { InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(100), AttemptsPerEndpoint = 1 };

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Connecting_is_logged_through_the_factory_under_the_clients_type_name()
    {
        await using var relay = SummonerTestRelay.Start();
        await using var alice = await Agent.StartAsync(relay.EndPoint);
        await EventuallyAsync(() => alice.Log.Entries.Any(e => e.EventId.Id == 600), "the connected line");

        var connected = Assert.Single(alice.Log.Entries, e => e.EventId.Id == 600);
        Assert.Equal(("Synapse.Relay.Summoner.SummonerRelayClient", LogLevel.Information), (connected.Category, connected.Level));
        Assert.Equal($"Summoner client: connected to {relay.EndPoint}; 0 line(s) queued.", connected.Message);
    }

    /// <summary>A client whose received lines and log are kept.</summary>
    private sealed class Agent : IAsyncDisposable
    {
        private readonly SemaphoreSlim _arrived = new(0);

        public Agent(SummonerRelayClientOptions options, Func<SummonerMessage, CancellationToken, ValueTask>? firstHandler = null)
        {
            Client = new SummonerRelayClient(new SummonerRelayClientOptions
            {
                Relays = options.Relays,
                Backoff = options.Backoff,
                MaxLineBytes = options.MaxLineBytes,
                SendQueueCapacity = options.SendQueueCapacity,
            }, Log);
            if (firstHandler is not null)
            {
                Client.OnMessage(firstHandler);
            }

            Client.OnMessage((message, _) =>
            {
                Messages.Enqueue(message);
                _arrived.Release();
                return ValueTask.CompletedTask;
            });
        }

        public SummonerRelayClient Client { get; }

        public ListLoggerFactory Log { get; } = new();

        public ConcurrentQueue<SummonerMessage> Messages { get; } = new();

        public static Task<Agent> StartAsync(params EndPoint[] relays) =>
            new Agent(new SummonerRelayClientOptions { Relays = relays, Backoff = FastBackoff() }).StartAsync(waitConnected: true);

        public async Task<Agent> StartAsync(bool waitConnected = false)
        {
            await Client.StartAsync();
            if (waitConnected)
            {
                await Client.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }

            return this;
        }

        public async Task<SummonerMessage> NextAsync()
        {
            Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(20)), "no message arrived");
            Assert.True(Messages.TryDequeue(out var message));
            return message;
        }

        public ValueTask DisposeAsync() => Client.DisposeAsync();
    }
}
