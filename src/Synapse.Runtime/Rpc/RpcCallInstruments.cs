using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Synapse.Rpc;

/// <summary>
/// The three instruments of finished calls on one side of a link, <c>synapse.rpc.{side}.calls</c>, <c>.errors</c> (by
/// error code) and <c>.duration</c> (seconds, with <see cref="RpcDurationBuckets"/> advised), shared by the host's and
/// the client's meters.
/// </summary>
internal sealed class RpcCallInstruments
{
    private readonly Counter<long> _calls;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;

    public RpcCallInstruments(Meter meter, string side, string callsDescription, string errorsDescription, string durationDescription)
    {
        _calls = meter.CreateCounter<long>($"synapse.rpc.{side}.calls", "{call}", callsDescription);
        _errors = meter.CreateCounter<long>($"synapse.rpc.{side}.errors", "{call}", errorsDescription);
        _duration = meter.CreateHistogram<double>($"synapse.rpc.{side}.duration", "s", durationDescription,
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RpcDurationBuckets.Seconds });
    }

    /// <summary>Records a finished call; <paramref name="errorCode"/> is null when it succeeded.</summary>
    public void CallCompleted(string endpoint, long startTimestamp, string? errorCode)
    {
        var tag = new KeyValuePair<string, object?>("synapse.endpoint", endpoint);
        _calls.Add(1, tag);
        if (errorCode is not null)
        {
            _errors.Add(1, tag, new KeyValuePair<string, object?>("synapse.error", errorCode));
        }

        if (_duration.Enabled)
        {
            _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tag);
        }
    }
}
