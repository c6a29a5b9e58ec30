using HostedAgent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using Synapse.Hosting;

// A worker app: two agents from DI, configured by appsettings.json; a typed client to one of them used by the app's
// own worker; a health check; the meters written to the console. Runs until Ctrl+C.
// appsettings.json sits beside the program, wherever it is started from.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddSingleton<IPriceList, PriceList>();
builder.Services.AddSynapse()
    .AddAgent<QuoteAgent>("quotes")
    .AddAgent<AuditAgent>("audit")
    .AddClient<IQuoteAgentClient, QuoteAgentClient>("quotes");
builder.Services.AddHealthChecks().AddSynapseAgents();
builder.Services.AddHostedService<QuoteWorker>();
builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter("Synapse.Rpc", "Synapse.Client").AddConsoleExporter());

await builder.Build().RunAsync();
