using System.Diagnostics.Metrics;
using Synapse.Client;
using Synapse.Rpc;

namespace Synapse.Tests.Rpc;

public sealed class HostMetricsTests
{
    [Fact]
    public async Task Calls_errors_and_connections_are_counted_on_the_hosts_own_meter()
    {
        using var meters = new RecordingMeterFactory();
        var measurements = new List<(string Instrument, long Value, string? Endpoint)>();
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
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? endpoint = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "synapse.endpoint")
                {
                    endpoint = (string?)tag.Value;
                }
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, value, endpoint));
            }
        });
        listener.Start();

        await using (var host = await TestHost.StartAsync(meters: meters))
        {
            await using var client = new SynapseClient("127.0.0.1", host.Port);
            await client.CallAsync("sum", [1, 2]);
            await client.CallAsync("sum", [3, 4]);
            await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("fail"));
        }

        lock (measurements)
        {
            Assert.Equal(2, measurements.Count(m => m is ("synapse.rpc.server.calls", 1, "sum")));
            Assert.Single(measurements, m => m is ("synapse.rpc.server.errors", 1, "fail"));
            Assert.Equal(0, measurements.Where(m => m.Instrument == "synapse.rpc.server.connections").Sum(m => m.Value));
            Assert.Contains(measurements, m => m is ("synapse.rpc.server.connections", 1, _));
            Assert.DoesNotContain(measurements, m => m.Endpoint == RpcProtocol.HelloEndpoint); // negotiation, not a call
        }
    }

    [Fact]
    public async Task Durations_are_in_seconds_with_buckets_fine_enough_for_a_loopback_call()
    {
        using var meters = new RecordingMeterFactory();
        var advised = new List<(string Name, string? Unit, IReadOnlyList<double>? Buckets)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument is Histogram<double> histogram && meters.Created.Contains(instrument.Meter))
                {
                    advised.Add((instrument.Name, instrument.Unit, histogram.Advice?.HistogramBucketBoundaries));
                }
            },
        };
        listener.Start();

        await using var host = await TestHost.StartAsync(meters: meters);
        await using var client = new SynapseClient("127.0.0.1", host.Port, meterFactory: meters);
        await client.PingAsync();

        Assert.Equal(["synapse.rpc.client.duration", "synapse.rpc.server.duration"], advised.Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.All(advised, a =>
        {
            Assert.Equal("s", a.Unit);
            Assert.NotNull(a.Buckets);
            Assert.True(a.Buckets![0] <= 0.0001, "a sub-millisecond call gets a bucket of its own");
            Assert.True(a.Buckets.Zip(a.Buckets.Skip(1)).All(pair => pair.First < pair.Second));
        });
    }

    [Fact]
    public async Task The_client_counts_its_calls_and_errors_by_code_on_its_meter()
    {
        using var meters = new RecordingMeterFactory();
        var measurements = new List<(string Instrument, string? Endpoint, string? Error)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (meters.Created.Contains(instrument.Meter) && instrument.Meter.Name == "Synapse.Client")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            string? endpoint = null, error = null;
            foreach (var tag in tags)
            {
                endpoint = tag.Key == "synapse.endpoint" ? (string?)tag.Value : endpoint;
                error = tag.Key == "synapse.error" ? (string?)tag.Value : error;
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, endpoint, error));
            }
        });
        listener.Start();

        await using var host = await TestHost.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port, meterFactory: meters);
        await client.CallAsync("sum", [1, 2]);
        var failed = (await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("fail"))).Code;
        var unknown = (await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("no_such_endpoint"))).Code;

        lock (measurements)
        {
            Assert.Equal(3, measurements.Count(m => m.Instrument == "synapse.rpc.client.calls"));
            Assert.NotEqual(failed, unknown);
            Assert.Equal(
                [("fail", failed), ("no_such_endpoint", unknown)],
                measurements.Where(m => m.Instrument == "synapse.rpc.client.errors").Select(m => (m.Endpoint, m.Error)).Order());
            Assert.DoesNotContain(measurements, m => m.Endpoint == RpcProtocol.HelloEndpoint);
        }
    }

    [Fact]
    public async Task Connections_shed_at_the_pending_limit_are_counted()
    {
        using var meters = new RecordingMeterFactory();
        long shed = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (meters.Created.Contains(instrument.Meter) && instrument.Name == "synapse.rpc.server.shed_connections")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref shed, value));
        listener.Start();

        await using var host = await TestHost.StartAsync(o => o.MaxPendingConnections = 1, meters: meters);
        var silent = new List<System.Net.Sockets.Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                // One at a time: the connection that sheds the one before is accepted after it.
                silent.AddRange(await SilentConnectionTests.OpenSilentAsync(host.Port, 1));
                var expected = i;
                await WireCompatibilityTests.WaitUntilAsync(() => Interlocked.Read(ref shed) == expected && host.Host.ConnectionCount == 1);
            }
        }
        finally
        {
            SilentConnectionTests.Close(silent);
        }
    }
}
