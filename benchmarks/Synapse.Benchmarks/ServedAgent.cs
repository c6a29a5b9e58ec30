using Synapse.Client;
using Synapse.Hosting;

namespace Synapse.Benchmarks;

/// <summary>A started host of <see cref="BenchAgent"/> and a client to it, disposed together.</summary>
internal sealed record ServedAgent(AgentHost Host, SynapseClient Client) : IAsyncDisposable
{
    /// <summary>The agent's typed client, over <see cref="Client"/>.</summary>
    public BenchAgentClient Bench { get; } = new(Client);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Host.DisposeAsync();
    }
}
