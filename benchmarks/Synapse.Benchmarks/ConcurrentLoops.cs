using System.Diagnostics;

namespace Synapse.Benchmarks;

/// <summary>Several loops of one operation at once, for a fixed time: the load of the calls-per-second rows.</summary>
internal static class ConcurrentLoops
{
    /// <summary>
    /// Runs <paramref name="loops"/> loops of <paramref name="operation"/> until <paramref name="duration"/> has
    /// passed; returns how many operations completed and in how many seconds.
    /// </summary>
    public static async Task<(long Operations, double Seconds)> RunAsync(int loops, Func<Task> operation, TimeSpan duration)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(Enumerable.Range(0, loops).Select(_ => Task.Run(async () =>
        {
            long n = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                await operation();
                n++;
            }

            return n;
        })));
        return (counts.Sum(), Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>As <see cref="RunAsync"/>, as operations per second.</summary>
    public static async Task<double> RatePerSecondAsync(int loops, Func<Task> operation, TimeSpan duration)
    {
        var (operations, seconds) = await RunAsync(loops, operation, duration);
        return operations / seconds;
    }
}
