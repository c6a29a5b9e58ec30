using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Synapse.Relay;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay;

/// <summary>The reconnect loop on its own, with scripted attempts and links instead of relays.</summary>
public sealed class ReconnectLoopTests
{
    private static readonly EndPoint[] TwoRelays = [new IPEndPoint(IPAddress.Loopback, 1001), new IPEndPoint(IPAddress.Loopback, 1002)];

    private static readonly ReconnectBackoffOptions Backoff = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(1),
        Multiplier = 2,
        Jitter = 0,
        AttemptsPerEndpoint = 100,
        HealthyAfter = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task Waits_grow_while_attempts_fail_and_start_over_after_a_healthy_connection_only()
    {
        var timers = new ManualTimers();
        var fake = new FakeClient { Outcomes = [Fail, Fail, Fail, Succeed, Succeed] };
        await using var loop = fake.CreateLoop(Backoff, timers);
        loop.Start();

        foreach (var wait in new[] { 100, 200, 400 })
        {
            await EventuallyAsync(() => timers.PendingCount == 1, $"a wait of {wait} ms");
            Assert.Equal(wait, (int)timers.Requested[^1].TotalMilliseconds);
            timers.Advance(TimeSpan.FromMilliseconds(wait - 1));
            Assert.Equal(1, timers.PendingCount); // not a millisecond early
            timers.Advance(TimeSpan.FromMilliseconds(1));
        }

        await loop.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(4, fake.Attempts.Count);
        timers.Advance(TimeSpan.FromSeconds(5)); // healthy: the next wait is the first one again
        fake.Links.Single().Drop();

        await EventuallyAsync(() => timers.PendingCount == 1, "the wait after a healthy connection");
        Assert.Equal(100, (int)timers.Requested[^1].TotalMilliseconds);
        timers.Advance(TimeSpan.FromMilliseconds(100));
        await EventuallyAsync(() => fake.Links.Count == 2, "the second connection");
        await loop.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        fake.Links[1].Drop(); // at once: not healthy, so the waits keep growing

        await EventuallyAsync(() => timers.PendingCount == 1, "the wait after a short connection");
        Assert.Equal([100, 200, 400, 100, 200], timers.Requested.Select(delay => (int)delay.TotalMilliseconds));
        Assert.Equal(2, fake.Log.Count(LogLevel.Warning, "Test client: lost 127.0.0.1:1001."));
    }

    [Fact]
    public async Task Attempts_fail_over_along_the_relays_and_each_failure_is_logged_with_its_relay()
    {
        var fake = new FakeClient { Outcomes = [Fail, Fail, Succeed] };
        await using var loop = fake.CreateLoop(Backoff with { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, AttemptsPerEndpoint = 1 });
        loop.Start();

        await loop.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([0, 1, 0], fake.Attempts);
        Assert.Equal(0, fake.Links.Single().Endpoint);
        Assert.Equal(1, fake.Log.Count(LogLevel.Warning, "Test client: attempt 1 on 127.0.0.1:1001 failed: refused"));
        Assert.Equal(1, fake.Log.Count(LogLevel.Warning, "Test client: attempt 2 on 127.0.0.1:1002 failed: refused"));
    }

    [Fact]
    public async Task An_exception_in_connect_is_logged_with_its_stack_and_the_loop_tries_again()
    {
        var fake = new FakeClient { Outcomes = [(_, _) => throw new InvalidOperationException("a bug in connect"), Succeed] };
        await using var loop = fake.CreateLoop(Backoff with { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero });
        loop.Start();

        await loop.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, fake.Attempts.Count);
        var error = Assert.Single(fake.Log.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Contains("attempt 1 on 127.0.0.1:1001 failed unexpectedly", error.Message, StringComparison.Ordinal);
        Assert.Equal("a bug in connect", Assert.IsType<InvalidOperationException>(error.Exception).Message);
    }

    [Fact]
    public async Task A_link_that_throws_is_logged_forgotten_and_replaced()
    {
        var fake = new FakeClient { Outcomes = [Succeed, Succeed] };
        await using var loop = fake.CreateLoop(Backoff with { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero });
        loop.Start();
        await loop.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));

        fake.Links[0].Dropped.SetException(new FormatException("garbage on the link"));
        await EventuallyAsync(() => fake.Links.Count == 2 && fake.Events.Contains("connected 1"), "a second link");
        Assert.Equal(["connected 0", "disconnected 0", "connected 1"], fake.Events);
        Assert.IsType<FormatException>(Assert.Single(fake.Log.Entries, entry => entry.Level == LogLevel.Error).Exception);
    }

    [Fact]
    public async Task Waiters_learn_of_a_link_only_after_the_client_took_it_and_wait_again_once_it_dropped()
    {
        var fake = new FakeClient { Outcomes = [Succeed] };
        await using var loop = fake.CreateLoop(Backoff);
        fake.OnConnected = () => fake.Events.Enqueue(loop.WaitConnectedAsync().IsCompleted ? "waiters released too early" : "waiters still waiting");
        loop.Start();

        await loop.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["waiters still waiting", "connected 0"], fake.Events);
        fake.Links[0].Drop();
        await EventuallyAsync(() => fake.Events.Contains("disconnected 0"), "the drop");
        Assert.False(loop.WaitConnectedAsync().IsCompleted);
    }

    [Fact]
    public async Task Disposing_during_a_back_off_wait_stops_at_once_without_another_attempt()
    {
        var timers = new ManualTimers();
        var fake = new FakeClient { Outcomes = [Fail, Succeed] };
        var loop = fake.CreateLoop(Backoff with { InitialDelay = TimeSpan.FromHours(1), MaxDelay = TimeSpan.FromHours(1) }, timers);
        loop.Start();
        await EventuallyAsync(() => timers.PendingCount == 1, "the back-off wait");
        var waiter = loop.WaitConnectedAsync();

        await loop.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20)); // the clock never moves: only the stop ends the wait
        Assert.Single(fake.Attempts);
        Assert.Equal(0, timers.PendingCount);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitConnectedAsync());
        Assert.Throws<ObjectDisposedException>(loop.Start);
    }

    [Fact]
    public async Task Disposing_cancels_an_attempt_in_progress_and_logs_no_failure()
    {
        var fake = new FakeClient { Outcomes = [Hang] };
        var loop = fake.CreateLoop(Backoff);
        loop.Start();
        await EventuallyAsync(() => fake.Attempts.Count == 1, "the attempt");

        await loop.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Single(fake.Attempts);
        Assert.Empty(fake.Log.Entries);
    }

    [Fact]
    public async Task Disposing_cancels_the_running_link_and_the_client_forgets_it_without_a_lost_warning()
    {
        var fake = new FakeClient { Outcomes = [Succeed] };
        var loop = fake.CreateLoop(Backoff);
        loop.Start();
        await loop.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(loop.Stopping.IsCancellationRequested);

        await loop.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(loop.Stopping.IsCancellationRequested);
        Assert.Equal(["connected 0", "disconnected 0"], fake.Events);
        Assert.Empty(fake.Log.Entries);
    }

    [Fact]
    public async Task An_attempt_over_the_connect_timeout_is_cancelled_logged_and_retried()
    {
        var fake = new FakeClient { Outcomes = [Hang, Succeed] };
        await using var loop = fake.CreateLoop(Backoff with { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero }, connectTimeout: TimeSpan.FromMilliseconds(50));
        loop.Start();

        await loop.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, fake.Attempts.Count);
        Assert.Equal(1, fake.Log.Count(LogLevel.Warning, "attempt 1 on 127.0.0.1:1001 failed"));
    }

    [Fact]
    public async Task A_caller_cancelling_its_wait_does_not_stop_the_loop()
    {
        var fake = new FakeClient { Outcomes = [Fail, Succeed] };
        var timers = new ManualTimers();
        await using var loop = fake.CreateLoop(Backoff, timers);
        loop.Start();
        await EventuallyAsync(() => timers.PendingCount == 1, "the back-off wait");

        using var impatient = new CancellationTokenSource();
        var waiting = loop.WaitConnectedAsync(impatient.Token);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        timers.Advance(TimeSpan.FromMilliseconds(100));
        await loop.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(loop.Stopping.IsCancellationRequested);
    }

    [Fact]
    public async Task When_the_budget_is_spent_the_client_is_told_and_waiters_get_an_error()
    {
        var fake = new FakeClient { Outcomes = [Fail, Fail, Fail, Succeed] };
        await using var loop = fake.CreateLoop(Backoff with { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, MaxAttempts = 3 });
        loop.Start();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("retry budget is spent", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, fake.Attempts.Count);
        Assert.Equal(["gave up"], fake.Events);
        Assert.Equal(1, fake.Log.Count(LogLevel.Error, "Test client: every relay failed and the retry budget is spent; giving up."));
    }

    [Fact]
    public void Nonsense_backoff_options_are_refused_when_the_loop_is_created() =>
        Assert.Throws<ArgumentException>(() => new FakeClient().CreateLoop(Backoff with { Multiplier = 0.5 }));

    private static Task<FakeLink?> Fail(int endpoint, CancellationToken cancellationToken) => throw new IOException("refused");

    private static Task<FakeLink?> Succeed(int endpoint, CancellationToken cancellationToken) => Task.FromResult<FakeLink?>(new FakeLink(endpoint));

    private static async Task<FakeLink?> Hang(int endpoint, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return null;
    }

    /// <summary>A link that runs until the test drops it (or the loop stops).</summary>
    private sealed class FakeLink(int endpoint)
    {
        public int Endpoint { get; } = endpoint;

        public int Index { get; set; }

        public TaskCompletionSource Dropped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Drop() => Dropped.SetResult();
    }

    /// <summary>The client's side of the loop: scripted attempts, and a record of what the loop asked of it.</summary>
    private sealed class FakeClient
    {
        private int _attempt;

        /// <summary>What each attempt does, in order; attempts past the end fail.</summary>
        public Func<int, CancellationToken, Task<FakeLink?>>[] Outcomes { get; init; } = [];

        public ConcurrentQueue<int> AttemptQueue { get; } = new();

        public List<int> Attempts => [.. AttemptQueue];

        public ConcurrentQueue<FakeLink> LinkQueue { get; } = new();

        public List<FakeLink> Links => [.. LinkQueue];

        public ConcurrentQueue<string> Events { get; } = new();

        public ListLogger Log { get; } = new();

        public Action? OnConnected { get; set; }

        public ReconnectLoop<FakeLink> CreateLoop(ReconnectBackoffOptions backoff, TimeProvider? time = null, TimeSpan? connectTimeout = null) => new(
            new ReconnectLoopOptions
            {
                Name = "Test client",
                Endpoints = TwoRelays,
                Backoff = backoff,
                ConnectTimeout = connectTimeout ?? TimeSpan.FromMinutes(1),
                TimeProvider = time ?? TimeProvider.System,
                Logger = Log,
            },
            new ReconnectSteps<FakeLink>
            {
                ConnectAsync = ConnectAsync,
                Connected = (link, endpoint) =>
                {
                    OnConnected?.Invoke();
                    link.Index = LinkQueue.Count;
                    Events.Enqueue($"connected {link.Index}");
                    LinkQueue.Enqueue(link);
                },
                RunAsync = (link, stopping) => link.Dropped.Task.WaitAsync(stopping),
                Disconnected = link => Events.Enqueue($"disconnected {link.Index}"),
                GaveUp = () => Events.Enqueue("gave up"),
            });

        private Task<FakeLink?> ConnectAsync(int endpoint, CancellationToken cancellationToken)
        {
            AttemptQueue.Enqueue(endpoint);
            var attempt = Interlocked.Increment(ref _attempt) - 1;
            return attempt < Outcomes.Length ? Outcomes[attempt](endpoint, cancellationToken) : Fail(endpoint, cancellationToken);
        }
    }
}
