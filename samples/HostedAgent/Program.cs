using HostedAgent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Synapse.Hosting;
using Synapse.Relay.Hosting;

// A worker app, all of it configured by appsettings.json: two agents from DI, a typed client to one of them used by
// the app's own worker, a relay with two relay clients that carry the quotes agent's audit entries to the audit agent,
// health checks, and the meters and spans written to the console. Runs until Ctrl+C.
// appsettings.json sits beside the program, wherever it is started from.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddSingleton<IPriceList, PriceList>();
builder.Services.AddSingleton<AuditTrail>();
builder.Services.AddSynapse()
    .AddRelay()
    .AddRelayClient("quotes")
    .AddRelayClient("audit")
    .AddAgent<QuoteAgent>("quotes")
    .AddAgent<AuditAgent>("audit")
    .AddClient<IQuoteAgentClient, QuoteAgentClient>("quotes");
builder.Services.AddHealthChecks().AddSynapseAgents().AddSynapseRelay().AddSynapseRelayClients();
builder.Services.AddHostedService<QuoteWorker>();
builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter("Synapse.Rpc", "Synapse.Client", "Synapse.Relay").AddConsoleExporter())
    .WithTracing(tracing => tracing.AddSource("Synapse.Rpc", "Synapse.Relay").AddConsoleExporter());

await builder.Build().RunAsync();
