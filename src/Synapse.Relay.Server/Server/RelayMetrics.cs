using System.Diagnostics.Metrics;

namespace Synapse.Relay.Server;

/// <summary>
/// The relay's instruments, on a meter named <c>Synapse.Relay</c> tagged with the relay's id: its counters
/// (<see cref="RelayStatistics"/>), what it holds now (open links, bytes of unfinished frames) and, with a backplane,
/// what went through its broker and whether it reaches it; all observed when a listener collects, so routing pays
/// nothing for them.
/// </summary>
internal sealed class RelayMetrics : IDisposable
{
    public const string MeterName = "Synapse.Relay";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public RelayMetrics(RelayServer relay, IMeterFactory? factory)
    {
        var options = new MeterOptions(MeterName) { Tags = [new("synapse.relay", relay.Id.ToString())] };
        _ownsMeter = factory is null;
        _meter = factory?.Create(options) ?? new Meter(options);
        var s = relay.Statistics;
        Count("connections", () => s.Connections, "{connection}", "Connections accepted (agents and Summoner clients)");
        Count("refused_connections", () => s.RefusedConnections, "{connection}", "Connections refused before registration (quarantine, limits, failed handshakes)");
        Count("routed", () => s.Routed, "{message}", "Envelopes routed and Summoner lines relayed");
        Count("delivered", () => s.Delivered, "{message}", "Direct messages confirmed by their recipients");
        Count("refused", () => s.Refused, "{message}", "Envelopes refused (rate limit, full mailbox, forged sender, malformed)");
        Count("throttled", () => s.Throttled, "{event}", "Times a sender was throttled");
        Count("flow_controlled", () => s.FlowControlled, "{event}", "Times a sender was flow-controlled");
        Count("quarantined", () => s.Quarantined, "{link}", "Links disconnected and quarantined");
        _meter.CreateObservableUpDownCounter("synapse.relay.open_links", () => (long)relay.OpenLinks, "{link}", "Links open now");
        _meter.CreateObservableUpDownCounter("synapse.relay.partial_frame_bytes", () => relay.PartialFrames.Held, "By", "Bytes held in frames begun but not finished");
        if (relay.Backplane is not null)
        {
            Count("backplane.handed_over", () => s.BackplaneHandedOver, "{message}", "Messages the backplane's broker took");
            Count("backplane.refused", () => s.BackplaneRefused, "{message}", "Messages the backplane could not take (broker unreachable, full or failing)");
            Count("backplane.received", () => s.BackplaneReceived, "{message}", "Room messages other relays sent through the backplane");
            _meter.CreateObservableUpDownCounter("synapse.relay.backplane.available", () => s.BackplaneAvailable == true ? 1 : 0, "1", "1 while the backplane reaches its broker, 0 while it does not");
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private void Count(string name, Func<long> value, string unit, string description) =>
        _meter.CreateObservableCounter("synapse.relay." + name, value, unit, description);
}
