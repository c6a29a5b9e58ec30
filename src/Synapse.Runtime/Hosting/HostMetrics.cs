using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Synapse.Hosting;

/// <summary>The host's instruments, on a meter named <c>Synapse.Rpc</c> owned by the host (no global state).</summary>
internal sealed class HostMetrics : IDisposable
{
    public const string MeterName = "Synapse.Rpc";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _shed;

    public HostMetrics(string agent, IMeterFactory? factory)
    {
        var options = new MeterOptions(MeterName) { Tags = [new("synapse.agent", agent)] };
        _ownsMeter = factory is null;
        _meter = factory?.Create(options) ?? new Meter(options); // a factory owns and shares its meters
        _calls = _meter.CreateCounter<long>("synapse.rpc.server.calls", "{call}", "Calls completed by the host");
        _errors = _meter.CreateCounter<long>("synapse.rpc.server.errors", "{call}", "Calls answered with an error");
        _duration = _meter.CreateHistogram<double>("synapse.rpc.server.duration", "s", "Time from request to response",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Rpc.RpcDurationBuckets.Seconds });
        _connections = _meter.CreateUpDownCounter<long>("synapse.rpc.server.connections", "{connection}", "Open connections");
        _rejected = _meter.CreateCounter<long>("synapse.rpc.server.rejected_connections", "{connection}", "Connections refused at the limit");
        _shed = _meter.CreateCounter<long>("synapse.rpc.server.shed_connections", "{connection}", "Connections that had not yet proved themselves, closed to make room for a new one");
    }

    public void CallCompleted(string endpoint, long startTimestamp, string? errorCode)
    {
        if (endpoint == Rpc.RpcProtocol.HelloEndpoint)
        {
            return; // the negotiation of a multiplexed link, not a call
        }

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

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    public void ConnectionRejected() => _rejected.Add(1);

    public void ConnectionShed() => _shed.Add(1);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
