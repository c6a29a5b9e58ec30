using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Synapse.Hosting;
using Synapse.Rpc;
using Synapse.Scheduling;

namespace Synapse.Generated.Tests.Schedules;

/// <summary>Generated [Every], [Cron] and [Solar] jobs run by a real <see cref="AgentHost"/> on a fake clock.</summary>
public sealed class ScheduleTests
{
    // Friday 29 March 2024, 10:00 UTC: 11:00 in Paris, whose clocks go forward on Sunday.
    private static readonly DateTimeOffset Friday = new(2024, 3, 29, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_descriptor_carries_each_schedule()
    {
        var jobs = ((IAgentNode)new Gardener(TimeProvider.System)).CreateDispatcher().Descriptor.BackgroundJobs;

        Assert.Equal(["Water", "ReportAsync", "OpenShuttersAsync", "CloseShutters"], jobs.Select(j => j.Name));
        Assert.Equal(TimeSpan.FromMinutes(30), Assert.IsType<IntervalSchedule>(jobs[0].Schedule).Interval);
        var cron = Assert.IsType<CronSchedule>(jobs[1].Schedule);
        Assert.Equal(("0 9 * * MON-FRI", "Europe/Paris", true), (cron.Expression, cron.TimeZoneId, cron.DayOr));
        var sunrise = Assert.IsType<SolarSchedule>(jobs[2].Schedule);
        Assert.Equal((SolarEvent.Sunrise, 48.8566, 2.3522), (sunrise.Event, sunrise.Latitude, sunrise.Longitude));
        Assert.Equal(SolarEvent.CivilDusk, Assert.IsType<SolarSchedule>(jobs[3].Schedule).Event);
    }

    [Fact]
    public async Task Every_kind_runs_at_start_then_at_its_times()
    {
        var time = new FakeTimeProvider(Friday);
        var logs = new WaitingLoggerFactory();
        var gardener = new Gardener(time);
        await using var host = new AgentHost(gardener, new AgentHostOptions { TimeProvider = time }, logs);
        await host.StartAsync();
        await logs.ScheduledAsync(4);
        Assert.Equal(4, gardener.Runs.Count(r => r.At == Friday));

        var dusk = Schedule.Solar(SolarEvent.CivilDusk, 48.8566, 2.3522).NextAfter(Friday)!.Value;
        var sunrise = Schedule.Solar(SolarEvent.Sunrise, 48.8566, 2.3522).NextAfter(Friday)!.Value;
        var monday = new DateTimeOffset(2024, 4, 1, 7, 0, 0, TimeSpan.Zero); // 09:00 in Paris, now UTC+2
        Assert.InRange(dusk, Friday.AddHours(8), Friday.AddHours(9.5));
        Assert.InRange(sunrise, Friday.AddHours(19), Friday.AddHours(20.5));

        time.SetUtcNow(Friday.AddMinutes(30));
        await logs.ScheduledAsync(5);
        time.SetUtcNow(dusk);
        await logs.ScheduledAsync(7);
        time.SetUtcNow(sunrise);
        await logs.ScheduledAsync(9);

        // The clock jumps over the weekend: each job whose time passed runs once, late, and is not replayed.
        time.SetUtcNow(monday);
        await logs.ScheduledAsync(13);

        Assert.Equal([Friday, monday], Times(gardener, nameof(Gardener.ReportAsync)));
        Assert.Equal([Friday, sunrise, monday], Times(gardener, nameof(Gardener.OpenShuttersAsync)));
        Assert.Equal([Friday, dusk, monday], Times(gardener, nameof(Gardener.CloseShutters)));
        Assert.Equal([Friday, Friday.AddMinutes(30), dusk, sunrise, monday], Times(gardener, nameof(Gardener.Water)));
    }

    private static DateTimeOffset[] Times(Gardener gardener, string job) => [.. gardener.Runs.Where(r => r.Job == job).Select(r => r.At)];

    /// <summary>Counts the host's "next runs at" lines (event 15), which it writes before it waits for a job's next time.</summary>
    private sealed class WaitingLoggerFactory : ILoggerFactory
    {
        private int _scheduled;

        public async Task ScheduledAsync(int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Volatile.Read(ref _scheduled) < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{Volatile.Read(ref _scheduled)} jobs scheduled, not {count}");
                await Task.Delay(5);
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        private sealed class Logger(WaitingLoggerFactory factory) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (eventId.Id == 15 && formatter(state, exception).StartsWith("Background job", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref factory._scheduled);
                }
            }
        }
    }
}
