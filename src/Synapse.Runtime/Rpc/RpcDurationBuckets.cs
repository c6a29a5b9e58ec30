namespace Synapse.Rpc;

/// <summary>
/// The histogram buckets advised for call durations, in seconds. Without advice, OpenTelemetry uses buckets meant for
/// milliseconds (0, 5, 10, 25, …), so every call measured in seconds, loopback or not, lands in the first one. These
/// run from 10 µs (a small handler, timed by the host) to a minute (a long task handler).
/// </summary>
internal static class RpcDurationBuckets
{
    public static IReadOnlyList<double> Seconds { get; } =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
}
