using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Synapse.Benchmarks.Relay;

/// <summary>The sending side of a throughput run, shared by the relay and the raw forwarder so both are driven alike.</summary>
internal static class ThroughputRun
{
    /// <summary>Messages in flight: the sender waits for the first receiver to have this many fewer than sent.</summary>
    public const int Window = 1000;

    /// <summary>Sends <paramref name="frame"/> repeatedly (or frames from <paramref name="next"/>); returns messages/s seen by one receiver.</summary>
    public static async Task<double> MeasureAsync(PipeWriter output, byte[] frame, SemaphoreSlim window, FrameCounter counter, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken, Func<byte[]>? next = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sending = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await window.WaitAsync(stop.Token);
                    output.Write(next?.Invoke() ?? frame);
                    if (window.CurrentCount == 0 || output.UnflushedBytes > 32 * 1024)
                    {
                        await output.FlushAsync(stop.Token);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        await Task.Delay(warmup, cancellationToken);
        var startCount = counter.Count;
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(duration, cancellationToken);
        var count = counter.Count - startCount;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await stop.CancelAsync();
        await sending;
        return count / elapsed;
    }
}
