using System.Diagnostics;
using Synapse.Client;
using Synapse.Hosting;

namespace Synapse.Benchmarks;

/// <summary>
/// What streams are worth and what they hold, over one secure multiplexed link (client and host in one process):
/// the items per second of a stream of small items against the calls per second of unary calls carrying the same
/// payload, and the memory a stream holds when its consumer stops reading.
/// </summary>
internal static class StreamHarness
{
    private const int ItemsPerStream = 100_000;

    public static async Task RunAsync(TimeSpan duration)
    {
        var agent = new BenchAgent();
        await using var host = new AgentHost(agent);
        await host.StartAsync();
        await using var client = new SynapseClient(host.LocalEndPoint);
        var bench = new BenchAgentClient(client);
        await ConcurrentLoops.RunAsync(64, () => bench.SumAsync(1, 2), TimeSpan.FromSeconds(1)); // warm both sides up
        await CountAsync(bench.NumbersAsync(10_000));

        Console.WriteLine($"streams against unary calls: one int per item or call, {duration.TotalSeconds:0} s per row, twice in alternating order");
        await AlternatingRounds.RunAsync(
        [
            ("unary sum(1, 0), 1 in flight", () => ConcurrentLoops.RunAsync(1, () => bench.SumAsync(1, 0), duration)),
            ("unary sum(1, 0), 64 in flight", () => ConcurrentLoops.RunAsync(64, () => bench.SumAsync(1, 0), duration)),
            ("one stream of ints", () => StreamForAsync(() => bench.NumbersAsync(ItemsPerStream), 1, duration)),
            ("8 streams of ints at once", () => StreamForAsync(() => bench.NumbersAsync(ItemsPerStream), 8, duration)),
        ]);

        await HeldByAStoppedConsumerAsync(agent, bench);
    }

    /// <summary>Opens a stream of 64 KiB items, reads one, stops reading; what the process holds then, against before.</summary>
    private static async Task HeldByAStoppedConsumerAsync(BenchAgent agent, BenchAgentClient bench)
    {
        const int ItemSize = 64 * 1024;
        var before = Settled();
        var producedBefore = agent.Produced;
        await using (var blobs = bench.BlobsAsync(ItemSize).GetAsyncEnumerator())
        {
            await blobs.MoveNextAsync();
            await Task.Delay(TimeSpan.FromSeconds(2)); // the producer runs as far as its credit lets it
            var held = Settled();
            var produced = agent.Produced - producedBefore;
            Console.WriteLine($"a consumer that stopped after 1 item of {ItemSize / 1024} KiB: {produced} items produced in 2 s, heap {before / 1024.0:N0} KiB before, {held / 1024.0:N0} KiB with the stream waiting (+{(held - before) / 1024.0:N0} KiB)");
        }
    }

    private static long Settled()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task<(long Count, double Seconds)> StreamForAsync(Func<IAsyncEnumerable<int>> open, int streams, TimeSpan duration)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => Task.Run(async () =>
        {
            long items = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                items += await CountAsync(open());
            }

            return items;
        })));
        return (counts.Sum(), Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task<long> CountAsync(IAsyncEnumerable<int> items)
    {
        long count = 0;
        await foreach (var _ in items)
        {
            count++;
        }

        return count;
    }
}
