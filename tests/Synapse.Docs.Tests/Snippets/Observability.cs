// docs/observability.md: Synapse's meters exported with OpenTelemetry.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Synapse.Hosting;

namespace Synapse.Docs.Tests.Snippets;

internal static class ObservabilitySnippet
{
    public static async Task RunAsync(string[] args)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter("Synapse.Rpc", "Synapse.Client")
                .AddConsoleExporter());
        builder.Services.AddSynapse().AddAgent<AuditAgent>("audit");
        await builder.Build().RunAsync();
    }
}

internal static class TracingSnippet
{
    public static void Register(HostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddSource("Synapse.Rpc", "Synapse.Relay", "Synapse.Flows")
                .AddConsoleExporter());
    }
}
