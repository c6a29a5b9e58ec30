using Microsoft.Extensions.Logging;
using Synapse.Rpc;

namespace Synapse.Hosting;

/// <summary>
/// Runs an agent's <see cref="BackgroundAttribute"/> jobs: each first at start, then again one interval after the
/// previous run ended (so a run never overlaps itself); a failing run is logged and the schedule goes on.
/// </summary>
internal sealed class BackgroundJobRunner(AgentDispatcher dispatcher, ILogger logger)
{
    private Task[] _loops = [];

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
                HostLog.BackgroundJobFailed(logger, e, job.Name, job.Interval);
            }

            try
            {
                await Task.Delay(job.Interval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
