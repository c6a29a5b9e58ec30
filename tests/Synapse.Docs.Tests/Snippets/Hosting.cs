// docs/hosting.md: two agents from DI in the generic host.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Synapse.Flows.Graph;
using Synapse.Hosting;
using Synapse.Relay.Hosting;
using Synapse.Relay.Outbox;
using Synapse.Swarm.Teams;
using Synapse.Client;

namespace Synapse.Docs.Tests.Snippets;

internal static class HostingSnippet
{
    public static async Task RunAsync(string[] args)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSingleton<IPriceList, PriceList>();   // what the agents' constructors ask for
        builder.Services.AddSynapse()
            .AddAgent<QuoteAgent>("quotes")
            .AddAgent<AuditAgent>("audit", options => options.DrainTimeout = TimeSpan.FromSeconds(30));

        using IHost app = builder.Build();
        await app.RunAsync();
    }
}

internal static class HostingClientSnippet
{
    public static void Register(HostApplicationBuilder builder)
    {
        builder.Services.AddSynapse()
            .AddClient<IQuoteAgentClient, QuoteAgentClient>("quotes");
    }

    public static void Health(HostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddSynapseAgents(tags: ["ready"])
            .AddSynapseRelay()
            .AddSynapseRelayClients(failureStatus: HealthStatus.Degraded)
            .AddCheck<DecisionGraphHealthCheck>("decision-graph");
    }

    public static void Swarm(HostApplicationBuilder builder)
    {
        builder.Services.AddSynapse()
            .AddAgent<AuditAgent>("audit")
            .AddSwarm("audit", swarm => swarm.Seeds.Add("10.0.0.5:9999"));
    }

    public static void Team(HostApplicationBuilder builder, IHost app)
    {
        builder.Services.AddSynapse()
            .AddAgent<AuditAgent>("audit")
            .AddSwarm("audit")
            .AddSwarmTeam("audit", team => team.Lease = TimeSpan.FromMinutes(2))
            .AddSwarmWorker("audit", services => SwarmTaskHandlers.RunAsTask(services.GetRequiredService<SynapseClient>(), "review"),
                worker => worker.Capabilities = ["code-review"]);
        // once the app runs
        SwarmTeam team = app.Services.GetRequiredKeyedService<SwarmTeam>("audit");
    }

    public static void RelayClient(HostApplicationBuilder builder)
    {
        builder.Services.AddSynapse()
            .AddRelayClient("bus", options => options with { OpenStore = SqliteRelayStore.In("data/") });
    }

    public static void Relay(HostApplicationBuilder builder)
    {
        builder.Services.AddSynapse()
            .AddRelay(options => options with { Version = "hosted" });
    }
}

internal interface IPriceList
{
    decimal PriceOf(string item);
}

internal sealed class PriceList : IPriceList
{
    public decimal PriceOf(string item) => item.Length;
}

[AgentNode(Name = "quotes")]
internal sealed partial class QuoteAgent(IPriceList prices)
{
    [Endpoint("quote")]
    public double Quote(string item) => (double)prices.PriceOf(item);
}

[AgentNode(Name = "audit")]
internal sealed partial class AuditAgent
{
    [Endpoint("ping_audit")]
    public string Ping() => "ok";
}
