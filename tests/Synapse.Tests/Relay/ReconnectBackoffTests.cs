using System.Net;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Tests.Envelopes;
using Xunit;

namespace Synapse.Tests.Relay;

public sealed class ReconnectBackoffTests
{
    private static readonly ReconnectBackoffOptions Options = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromMilliseconds(1000),
        Multiplier = 2,
        Jitter = 0,
        AttemptsPerEndpoint = 2,
        HealthyAfter = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public void Attempts_start_at_once_grow_exponentially_up_to_the_cap_and_fail_over_in_order()
    {
        var backoff = new ReconnectBackoff(3, Options);
        var steps = Enumerable.Range(0, 8).Select(_ => backoff.Next()!.Value).ToList();
        Assert.Equal([0, 0, 1, 1, 2, 2, 0, 0], steps.Select(step => step.EndpointIndex));
        Assert.Equal([0, 100, 200, 400, 800, 1000, 1000, 1000], steps.Select(step => (int)step.Delay.TotalMilliseconds));
        Assert.Equal(Enumerable.Range(1, 8), steps.Select(step => step.Attempt));
    }

    [Fact]
    public void Jitter_shortens_each_delay_by_at_most_its_fraction()
    {
        var backoff = new ReconnectBackoff(1, Options with { Jitter = 0.5, AttemptsPerEndpoint = 100 }, new Random(7));
        backoff.Next();
        var delays = Enumerable.Range(0, 200).Select(_ => backoff.Next()!.Value.Delay.TotalMilliseconds).ToList()[10..]; // at the cap
        Assert.All(delays, delay => Assert.InRange(delay, 500, 1000));
        Assert.True(delays.Distinct().Count() > 50, "the delays vary");
    }

    [Fact]
    public void The_budget_is_restored_by_a_healthy_connection_only()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var backoff = new ReconnectBackoff(2, Options with { MaxAttempts = 3 }, timeProvider: time);
        Assert.NotNull(backoff.Next());
        Assert.NotNull(backoff.Next());

        // A connection that drops at once spends the budget and keeps backing off.
        backoff.Connected();
        time.Advance(TimeSpan.FromSeconds(1));
        backoff.Disconnected();
        Assert.Equal(200, backoff.Next()!.Value.Delay.TotalMilliseconds);
        Assert.Null(backoff.Next());

        // A healthy one restores it, retrying its own endpoint first, after the initial delay.
        var healthy = new ReconnectBackoff(2, Options with { MaxAttempts = 3 }, timeProvider: time);
        healthy.Next();
        healthy.Next();
        var connectedTo = healthy.Next()!.Value.EndpointIndex;
        healthy.Connected();
        time.Advance(TimeSpan.FromSeconds(6));
        healthy.Disconnected();
        var retry = healthy.Next()!.Value;
        Assert.Equal((connectedTo, 100.0, 1), (retry.EndpointIndex, retry.Delay.TotalMilliseconds, retry.Attempt));
        Assert.NotNull(healthy.Next());
        Assert.NotNull(healthy.Next());
        Assert.Null(healthy.Next());
    }

    [Theory]
    [InlineData(0.5, 0.5, 1, null)]
    [InlineData(2, 1.5, 1, null)]
    [InlineData(2, 0.5, 0, null)]
    [InlineData(2, 0.5, 1, 0)]
    public void Nonsense_options_are_refused(double multiplier, double jitter, int attemptsPerEndpoint, int? maxAttempts) =>
        Assert.Throws<ArgumentException>(() => new ReconnectBackoff(1, Options with { Multiplier = multiplier, Jitter = jitter, AttemptsPerEndpoint = attemptsPerEndpoint, MaxAttempts = maxAttempts }));

    [Fact]
    public async Task A_relay_client_whose_budget_is_spent_says_so_instead_of_waiting_forever()
    {
        using var identity = AgentIdentity.Generate();
        using var key = EncryptionKeyPair.Derive(identity);
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now

        await using var client = new RelayClient(identity, key, new RelayClientOptions
        {
            Relays = [new RelayEndpoint(new IPEndPoint(IPAddress.Loopback, port))],
            Backoff = Options with { InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20), MaxAttempts = 3 },
        });
        await client.StartAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("retry budget", error.Message);
    }

    [Fact]
    public async Task Disposing_a_relay_client_that_waits_for_a_relay_ends_the_waiting()
    {
        using var identity = AgentIdentity.Generate();
        using var key = EncryptionKeyPair.Derive(identity);
        var client = new RelayClient(identity, key, new RelayClientOptions
        {
            Relays = [new RelayEndpoint(new IPEndPoint(IPAddress.Loopback, 9))], // the discard port: nothing answers
            Backoff = Options with { InitialDelay = TimeSpan.FromHours(1), MaxDelay = TimeSpan.FromHours(1) },
        });
        await client.StartAsync();
        var waiting = client.WaitConnectedAsync();

        await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void A_relay_client_refuses_nonsense_backoff_options_when_created()
    {
        using var identity = AgentIdentity.Generate();
        using var key = EncryptionKeyPair.Derive(identity);
        Assert.Throws<ArgumentException>(() => new RelayClient(identity, key, new RelayClientOptions
        {
            Relays = [new RelayEndpoint(new IPEndPoint(IPAddress.Loopback, 9))],
            Backoff = Options with { Multiplier = 0.5 },
        }));
    }
}
