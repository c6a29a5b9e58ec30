using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Synapse.Hosting;
using Synapse.Rpc;
using Synapse.Scheduling;

namespace Synapse.Tests.Scheduling;

/// <summary>
/// The background job runner under a fake clock: each kind of schedule runs first at start, then at its next times;
/// a run longer than the period is never overlapped; a failure is logged and the schedule goes on; stopping cancels.
/// The runner logs each next time before it waits (event 15), which is when a test may move the clock.
/// </summary>
public sealed partial class BackgroundJobRunnerTests
{
    private static readonly DateTimeOffset Start = new(2024, 6, 21, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_runs_at_start_then_an_interval_after_each_run()
    {
        await using var jobs = new Jobs(Start, Schedule.Every(TimeSpan.FromMinutes(5)));

        Assert.Equal(Start.AddMinutes(5), await jobs.NextAsync(1));
        jobs.Time.Advance(TimeSpan.FromMinutes(4));
        await Task.Delay(50);
        Assert.Equal([Start], jobs.Runs);

        jobs.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Start.AddMinutes(10), await jobs.NextAsync(2));
        Assert.Equal([Start, Start.AddMinutes(5)], jobs.Runs);
    }

    [Fact]
    public async Task A_run_longer_than_the_interval_is_not_overlapped()
    {
        var time = new FakeTimeProvider(Start);
        await using var jobs = new Jobs(time, Schedule.Every(TimeSpan.FromMinutes(5)), cancellationToken => Task.Delay(TimeSpan.FromMinutes(7), time, cancellationToken));

        await jobs.RunsAsync(1);
        time.Advance(TimeSpan.FromMinutes(7));

        Assert.Equal(Start.AddMinutes(12), await jobs.NextAsync(1));
    }

    [Fact]
    public async Task A_cron_time_that_passes_during_a_run_is_skipped()
    {
        var time = new FakeTimeProvider(Start);
        await using var jobs = new Jobs(time, Schedule.Cron("*/5 * * * *"), cancellationToken => Task.Delay(TimeSpan.FromMinutes(7), time, cancellationToken));

        await jobs.RunsAsync(1);
        time.Advance(TimeSpan.FromMinutes(7));

        Assert.Equal(Start.AddMinutes(10), await jobs.NextAsync(1));
    }

    [Fact]
    public async Task Cron_runs_at_start_then_at_its_times_in_its_time_zone()
    {
        // Friday 29 March 2024 at 10:00 UTC; weekdays at 09:00 in Paris, whose clocks go forward on Sunday.
        var friday = new DateTimeOffset(2024, 3, 29, 10, 0, 0, TimeSpan.Zero);
        await using var jobs = new Jobs(friday, Schedule.Cron("0 9 * * MON-FRI", "Europe/Paris"));

        var monday = new DateTimeOffset(2024, 4, 1, 7, 0, 0, TimeSpan.Zero);
        Assert.Equal(monday, await jobs.NextAsync(1));
        jobs.Time.SetUtcNow(monday);
        Assert.Equal(monday.AddDays(1), await jobs.NextAsync(2));
        Assert.Equal([friday, monday], jobs.Runs);
    }

    [Fact]
    public async Task Solar_runs_at_start_then_at_each_sunrise()
    {
        await using var jobs = new Jobs(Start, Schedule.Solar(SolarEvent.Sunrise, 48.8566, 2.3522));

        var sunrise = SolarCalculator.TimeOf(SolarEvent.Sunrise, new DateOnly(2024, 6, 21), 48.8566, 2.3522)!.Value;
        var next = SolarCalculator.TimeOf(SolarEvent.Sunrise, new DateOnly(2024, 6, 22), 48.8566, 2.3522)!.Value;
        Assert.Equal(sunrise, await jobs.NextAsync(1));
        jobs.Time.SetUtcNow(sunrise);
        Assert.Equal(next, await jobs.NextAsync(2));
        Assert.Equal([Start, sunrise], jobs.Runs);
    }

    [Fact]
    public async Task A_failure_is_logged_and_the_schedule_goes_on()
    {
        var calls = 0;
        await using var jobs = new Jobs(new FakeTimeProvider(Start), Schedule.Every(TimeSpan.FromMinutes(1)), _ =>
            Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("boom") : Task.CompletedTask);

        Assert.Equal(Start.AddMinutes(1), await jobs.NextAsync(1));
        var failure = Assert.Single(jobs.Logger.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal("boom", failure.Exception?.Message);
        Assert.Contains("job0", failure.Message, StringComparison.Ordinal);

        jobs.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Start.AddMinutes(2), await jobs.NextAsync(2));
        Assert.Equal(2, calls);
        Assert.Single(jobs.Logger.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Stopping_cancels_a_running_job_and_ends_the_loop()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var jobs = new Jobs(new FakeTimeProvider(Start), Schedule.Every(TimeSpan.FromMinutes(1)), async cancellationToken =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                cancelled.TrySetResult();
            }
        });

        await jobs.RunsAsync(1);
        await jobs.DisposeAsync();

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Stopping_ends_a_loop_that_waits()
    {
        var jobs = new Jobs(Start, Schedule.Every(TimeSpan.FromDays(3)));
        await jobs.NextAsync(1);

        await jobs.DisposeAsync(); // waits for the loop, which would otherwise wait three (fake) days

        Assert.Single(jobs.Runs);
    }

    [Fact]
    public async Task A_schedule_with_no_time_left_ends_with_a_warning()
    {
        await using var jobs = new Jobs(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), Schedule.Cron("0 0 30 2 *"));

        await WaitAsync(() => jobs.Logger.Entries.Any(e => e.EventId.Id == 16));
        Assert.Contains("will not run again", Assert.Single(jobs.Logger.Entries, e => e.Level == LogLevel.Warning).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_with_an_unknown_time_zone_fails_when_created_naming_the_job()
    {
        var agent = new Agent(new Dispatcher([new("Nightly", Schedule.Cron("0 3 * * *", "Mars/Olympus_Mons"))], _ => Task.CompletedTask));

        var error = Assert.Throws<InvalidOperationException>(() => new AgentHost(agent));

        Assert.Contains("'Nightly'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mars/Olympus_Mons", error.Message, StringComparison.Ordinal);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5);
        }
    }

    [GeneratedRegex(@"next runs at (\S+) ")]
    private static partial Regex NextRegex();

    /// <summary>One job on a fake clock, started; disposing stops it.</summary>
    private sealed class Jobs : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stopping = new();
        private readonly BackgroundJobRunner _runner;
        private readonly ConcurrentQueue<DateTimeOffset> _runs = new();

        public Jobs(DateTimeOffset start, Schedule schedule)
            : this(new FakeTimeProvider(start), schedule, _ => Task.CompletedTask)
        {
        }

        public Jobs(FakeTimeProvider time, Schedule schedule, Func<CancellationToken, Task> job)
        {
            Time = time;
            var dispatcher = new Dispatcher([new("job0", schedule)], cancellationToken =>
            {
                _runs.Enqueue(time.GetUtcNow());
                return job(cancellationToken);
            });
            _runner = new BackgroundJobRunner(dispatcher, Logger, time);
            BackgroundJobRunner.CheckSchedules(dispatcher.Descriptor);
            _runner.Start(_stopping.Token);
        }

        public FakeTimeProvider Time { get; }

        public ListLogger Logger { get; } = new();

        public DateTimeOffset[] Runs => [.. _runs];

        public Task RunsAsync(int count) => WaitAsync(() => _runs.Count >= count);

        /// <summary>The time the runner waits for after it logged its <paramref name="count"/>th next time.</summary>
        public async Task<DateTimeOffset> NextAsync(int count)
        {
            await WaitAsync(() => Logger.Entries.Count(e => e.EventId.Id == 15) >= count);
            var entry = Logger.Entries.Where(e => e.EventId.Id == 15).ElementAt(count - 1);
            return DateTimeOffset.Parse(NextRegex().Match(entry.Message).Groups[1].Value, CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            await _runner.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
            _stopping.Dispose();
        }
    }

    private sealed class Agent(AgentDispatcher dispatcher) : IAgentNode
    {
        public AgentDispatcher CreateDispatcher() => dispatcher;
    }

    private sealed class Dispatcher(BackgroundJobDescriptor[] jobs, Func<CancellationToken, Task> run) : AgentDispatcher
    {
        public override AgentDescriptor Descriptor { get; } = new("scheduled", "", "", [], [], jobs, -1);

        public override int FindEndpoint(ReadOnlySpan<byte> utf8Name) => -1;

        public override ValueTask InvokeAsync(int target, RpcInvocation call) => throw new ArgumentOutOfRangeException(nameof(target));

        public override Task RunBackgroundJobAsync(int index, CancellationToken cancellationToken) => run(cancellationToken);
    }
}
