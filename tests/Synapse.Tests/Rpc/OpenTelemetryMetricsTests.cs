using OpenTelemetry;
using OpenTelemetry.Metrics;
using Synapse.Client;

namespace Synapse.Tests.Rpc;

/// <summary>Our meters as the OpenTelemetry SDK exports them (tests only: the runtime depends on System.Diagnostics alone).</summary>
public sealed class OpenTelemetryMetricsTests
{
    [Fact]
    public async Task Call_durations_are_exported_with_our_bucket_boundaries_not_the_sdks_millisecond_ones()
    {
        var exported = new List<MetricSnapshot>(); // snapshots: the SDK reuses its Metric objects
        using (var provider = Sdk.CreateMeterProviderBuilder().AddMeter("Synapse.Rpc", "Synapse.Client").AddInMemoryExporter(exported).Build())
        {
            await using var host = await TestHost.StartAsync();
            await using var client = new SynapseClient("127.0.0.1", host.Port);
            for (var i = 0; i < 20; i++)
            {
                await client.CallAsync("sum", [i, 1]);
            }

            await host.DisposeAsync();
            provider.ForceFlush();
        }

        foreach (var name in new[] { "synapse.rpc.server.duration", "synapse.rpc.client.duration" })
        {
            // Other tests' hosts may be running: their meters have the same name, so look at every stream of it.
            var bounds = new List<double>();
            long count = 0;
            foreach (var metric in exported.Where(m => m.Name == name))
            {
                foreach (var point in metric.MetricPoints.Where(IsSum))
                {
                    count = Math.Max(count, point.GetHistogramCount());
                    bounds.Clear();
                    foreach (var bucket in point.GetHistogramBuckets())
                    {
                        bounds.Add(bucket.ExplicitBound);
                    }
                }
            }

            Assert.Equal(Synapse.Rpc.RpcDurationBuckets.Seconds.Append(double.PositiveInfinity), bounds);
            Assert.True(count >= 20, $"{name}: {count} calls recorded");
        }
    }

    private static bool IsSum(MetricPoint point)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == "synapse.endpoint" && (string?)tag.Value == "sum")
            {
                return true;
            }
        }

        return false;
    }
}
