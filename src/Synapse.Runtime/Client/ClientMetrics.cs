using System.Diagnostics;
using System.Diagnostics.Metrics;
using Synapse.Rpc;

namespace Synapse.Client;

/// <summary>
/// A client's instruments, on a meter named <c>Synapse.Client</c>: from the app's <see cref="IMeterFactory"/> when the
/// client is given one, otherwise one meter shared by the process's clients (as .NET's own HTTP client does), so a
/// client made per call does not make a meter per call.
/// </summary>
internal sealed class ClientMetrics
{
    public const string MeterName = "Synapse.Client";

    private static readonly Lazy<ClientMetrics> Shared = new(() => new ClientMetrics(new Meter(MeterName)));

    private readonly Counter<long> _calls;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;

    private ClientMetrics(Meter meter)
    {
        _calls = meter.CreateCounter<long>("synapse.rpc.client.calls", "{call}", "Calls made, answered or not");
        _errors = meter.CreateCounter<long>("synapse.rpc.client.errors", "{call}", "Calls that failed, by error code");
        _duration = meter.CreateHistogram<double>("synapse.rpc.client.duration", "s", "Time from sending a call to its answer or failure",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RpcDurationBuckets.Seconds });
    }

    /// <summary>The instruments for a client given <paramref name="factory"/> (or none).</summary>
    public static ClientMetrics For(IMeterFactory? factory) => factory is null ? Shared.Value : new ClientMetrics(factory.Create(new MeterOptions(MeterName)));

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
