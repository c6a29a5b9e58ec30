using System.Diagnostics.Metrics;
using Synapse.Rpc;

namespace Synapse.Hosting;

/// <summary>The host's instruments, on a meter named <c>Synapse.Rpc</c> owned by the host (no global state).</summary>
internal sealed class HostMetrics : IDisposable
{
    public const string MeterName = "Synapse.Rpc";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly RpcCallInstruments _calls;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _shed;

    public HostMetrics(string agent, IMeterFactory? factory)
    {
        var options = new MeterOptions(MeterName) { Tags = [new("synapse.agent", agent)] };
        _ownsMeter = factory is null;
        _meter = factory?.Create(options) ?? new Meter(options); // a factory owns and shares its meters
        _calls = new RpcCallInstruments(_meter, "server", "Calls completed by the host", "Calls answered with an error", "Time from request to response");
        _connections = _meter.CreateUpDownCounter<long>("synapse.rpc.server.connections", "{connection}", "Open connections");
        _rejected = _meter.CreateCounter<long>("synapse.rpc.server.rejected_connections", "{connection}", "Connections refused at the limit");
        _shed = _meter.CreateCounter<long>("synapse.rpc.server.shed_connections", "{connection}", "Connections that had not yet proved themselves, closed to make room for a new one");
    }

    public void CallCompleted(string endpoint, long startTimestamp, string? errorCode)
    {
        if (endpoint != RpcProtocol.HelloEndpoint) // the negotiation of a multiplexed link, not a call
        {
            _calls.CallCompleted(endpoint, startTimestamp, errorCode);
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
