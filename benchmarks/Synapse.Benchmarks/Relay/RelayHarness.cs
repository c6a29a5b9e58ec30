namespace Synapse.Benchmarks.Relay;

/// <summary>Relay throughput against a raw forwarder measured in the same run, then memory per idle connection.</summary>
internal static class RelayHarness
{
    public static async Task RunAsync(TimeSpan duration, int idleAgents)
    {
        var warmup = TimeSpan.FromSeconds(1);

        // Both paths once before any figure, so neither pays for JIT tiering inside the table.
        var (_, warmFrame) = await RelayThroughput.MeasureAsync(1, 64, warmup, warmup);
        await RawForwarder.MeasureAsync(1, warmFrame, warmup, warmup);
        Console.WriteLine($"relay vs raw in-process forwarder: 1 sender, N receivers, {ThroughputRun.Window} messages in flight, {duration.TotalSeconds:0} s each after {warmup.TotalSeconds:0} s warm-up");
        Console.WriteLine("(messages/s = messages each receiver gets per second; N = 1 is direct and confirmed, N > 1 a room)");
        Console.WriteLine($"{"payload",-8} {"N",4} {"raw msgs/s",12} {"relay msgs/s",13} {"relay/raw",10} {"relay deliveries/s",19}");
        foreach (var size in new[] { 64, 1024 })
        {
            foreach (var receivers in new[] { 1, 10, 100 })
            {
                var (relay, frame) = await RelayThroughput.MeasureAsync(receivers, size, warmup, duration);
                var raw = await RawForwarder.MeasureAsync(receivers, frame, warmup, duration);
                var label = size >= 1024 ? $"{size / 1024} KiB" : $"{size} B";
                Console.WriteLine($"{label,-8} {receivers,4} {raw,12:N0} {relay,13:N0} {relay / raw,10:P0} {relay * receivers,19:N0}");
            }
        }

        await IdleMemory.RunAsync(idleAgents);
    }
}
