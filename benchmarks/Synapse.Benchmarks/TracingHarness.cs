using System.Diagnostics;
using Synapse.Client;
using Synapse.Hosting;
using Synapse.MessagePack;

namespace Synapse.Benchmarks;

/// <summary>
/// What tracing costs a call: calls/s and bytes allocated per call (whole process, client and host) over one secure
/// multiplexed link, 64 calls in flight, with nobody listening to <c>Synapse.Rpc</c>, with a listener that records every
/// span (as OpenTelemetry does when it samples everything), and with a listener that samples nothing. Each case runs
/// twice, in alternating order, in one process.
/// </summary>
internal static class TracingHarness
{
    private const int InFlight = 64;

    public static async Task RunAsync(TimeSpan duration)
    {
        await using var host = new AgentHost(new BenchAgent());
        await host.StartAsync();
        await using var client = new SynapseClient(host.LocalEndPoint);
        var arguments = new List<MsgPackValue> { 1, 2 };
        Task Call() => client.CallAsync("sum", arguments);
        await MeasureAsync(Call, TimeSpan.FromSeconds(1)); // warm both sides up

        Console.WriteLine($"tracing cost: sum(1, 2), {InFlight} calls in flight on one secure multiplexed link, {duration.TotalSeconds:0} s per row");
        Console.WriteLine($"{"listener on Synapse.Rpc",-44} {"calls/s",10} {"bytes/call",11}");
        foreach (var round in new[] { 1, 2 })
        {
            var cases = new (string Name, ActivitySamplingResult? Sampling)[]
            {
                ("none", null),
                ("records every span", ActivitySamplingResult.AllDataAndRecorded),
                ("samples nothing", ActivitySamplingResult.None),
            };
            foreach (var (name, sampling) in round == 1 ? cases : cases.Reverse())
            {
                using var listener = sampling is { } result ? Listen(result) : null;
                var (rate, bytes) = await MeasureAsync(Call, duration);
                Console.WriteLine($"{$"{name} (round {round})",-44} {rate,10:N0} {bytes,11:N0}");
            }
        }
    }

    private static ActivityListener Listen(ActivitySamplingResult sampling)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Synapse.Rpc",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => sampling,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static async Task<(double CallsPerSecond, double BytesPerCall)> MeasureAsync(Func<Task> call, TimeSpan duration)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var (calls, elapsed) = await ConcurrentLoops.RunAsync(InFlight, call, duration);
        return (calls / elapsed, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)calls);
    }
}
