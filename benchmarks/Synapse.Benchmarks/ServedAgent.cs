using Synapse.Client;
using Synapse.Hosting;

namespace Synapse.Benchmarks;

/// <summary>A started host of <see cref="BenchAgent"/> and a client to it, disposed together.</summary>
internal sealed record ServedAgent(AgentHost Host, SynapseClient Client) : IAsyncDisposable
{
    /// <summary>The agent's typed client, over <see cref="Client"/>.</summary>
    public BenchAgentClient Bench { get; } = new(Client);

    /// <summary>Starts a host with <paramref name="options"/> and connects, then runs <paramref name="warmUpCall"/> from <paramref name="inFlight"/> loops for a second.</summary>
    public static async Task<ServedAgent> StartAsync(AgentHostOptions options, int inFlight, Func<SynapseClient, Task> warmUpCall)
    {
        var host = new AgentHost(new BenchAgent(), options);
        await host.StartAsync();
        var client = new SynapseClient(host.LocalEndPoint);
        await ConcurrentLoops.RunAsync(inFlight, () => warmUpCall(client), TimeSpan.FromSeconds(1));
        return new ServedAgent(host, client);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Host.DisposeAsync();
    }
}
