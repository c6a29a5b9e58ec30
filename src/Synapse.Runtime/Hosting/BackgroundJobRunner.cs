using Microsoft.Extensions.Logging;
using Synapse.Rpc;
using Synapse.Scheduling;

namespace Synapse.Hosting;

/// <summary>
/// Runs an agent's background jobs: each first at start, then at the next time of its <see cref="Schedule"/> after
/// the previous run ended (so a run never overlaps itself); a failing run is logged and the schedule goes on. Time is
/// read from a <see cref="TimeProvider"/>, so tests drive the schedules with a fake clock.
/// </summary>
internal sealed class BackgroundJobRunner(AgentDispatcher dispatcher, ILogger logger, TimeProvider time)
{
    // Waits are cut into pieces so that a clock that jumps (a machine that slept) is noticed within a day.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private Task[] _loops = [];

    /// <summary>Checks that every job's schedule can be used here, so that a host fails when it is created rather than later.</summary>
    /// <exception cref="InvalidOperationException">A job's schedule cannot be used here (an unknown time zone).</exception>
    public static void CheckSchedules(AgentDescriptor descriptor)
    {
        foreach (var job in descriptor.BackgroundJobs)
        {
            try
            {
                job.Schedule.EnsureUsable();
            }
            catch (TimeZoneNotFoundException e)
            {
                throw new InvalidOperationException($"Background job '{job.Name}' cannot be scheduled: {e.Message}", e);
            }
        }
    }

    /// <summary>Starts every job.</summary>
    public void Start(CancellationToken stopping)
    {
        var jobs = dispatcher.Descriptor.BackgroundJobs;
        _loops = new Task[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            var index = i;
            _loops[i] = Task.Run(() => RunLoopAsync(index, jobs[index], stopping), CancellationToken.None);
        }
    }

    public Task StopAsync() => Task.WhenAll(_loops);

    private async Task RunLoopAsync(int index, BackgroundJobDescriptor job, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Exception? failure = null;
            try
            {
                await dispatcher.RunBackgroundJobAsync(index, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failure = e;
            }

            var ended = time.GetUtcNow();
            var next = job.Schedule.NextAfter(ended);
            if (failure is not null)
            {
                HostLog.BackgroundJobFailed(logger, failure, job.Name, next);
            }

            if (next is not { } due)
            {
                HostLog.BackgroundJobEnded(logger, job.Name, job.Schedule, ended);
                return;
            }

            HostLog.BackgroundJobScheduled(logger, job.Name, due, job.Schedule);
            if (!await WaitUntilAsync(due, stopping).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Waits until the clock reads <paramref name="due"/>; <c>false</c> when the host stops first.</summary>
    private async Task<bool> WaitUntilAsync(DateTimeOffset due, CancellationToken stopping)
    {
        // The deadline is absolute, so a clock that moved while this was being set up is not waited for twice.
        for (var left = due - time.GetUtcNow(); left > TimeSpan.Zero; left = due - time.GetUtcNow())
        {
            try
            {
                await Task.Delay(left < LongestWait ? left : LongestWait, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return !stopping.IsCancellationRequested;
    }
}
