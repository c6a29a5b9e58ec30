using System.Diagnostics.Metrics;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.Server;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay;

public sealed class RelayMetricsTests
{
    [Fact]
    public async Task The_relays_meter_reports_its_counters_and_open_links_when_collected()
    {
        using var meters = new RecordingMeterFactory();
        var options = Options(o => o with { Logger = new RelayLogOptions { EnableConsoleLog = false } });
        await using var relay = new RelayServer(options, meterFactory: meters);
        await relay.StartAsync();
        await using var alice = await Agent("alice", relay).StartAsync();
        await using var bob = await Agent("bob", relay).StartAsync();
        var sent = alice.Client.Send(bob.Client.Certificate, Utf8("hi"));
        await alice.Client.WaitAcknowledgedAsync(sent).WaitAsync(TimeSpan.FromSeconds(20));
        await EventuallyAsync(() => relay.OpenLinks == 2 && relay.Statistics.Delivered == 1, "both agents connected and the message delivered");

        var observed = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (meters.Created.Contains(instrument.Meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => observed[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(relay.Statistics.Connections, observed["synapse.relay.connections"]);
        Assert.Equal(relay.Statistics.Routed, observed["synapse.relay.routed"]);
        Assert.Equal(1, observed["synapse.relay.delivered"]);
        Assert.Equal(2, observed["synapse.relay.open_links"]);
        Assert.Equal(0, observed["synapse.relay.quarantined"]);
        Assert.Contains("synapse.relay.partial_frame_bytes", observed.Keys);
        Assert.DoesNotContain(observed.Keys, name => name.StartsWith("synapse.relay.backplane.", StringComparison.Ordinal)); // no backplane here
        Assert.Equal(relay.Id.ToString(), meters.Created.Single().Tags!.Single(t => t.Key == "synapse.relay").Value);
    }
}
