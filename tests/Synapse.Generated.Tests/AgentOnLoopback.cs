using Synapse.Client;
using Synapse.Hosting;

namespace Synapse.Generated.Tests;

/// <summary>A test class's agent, served on a loopback port for each test, and a client to it.</summary>
/// <typeparam name="TAgent">The agent.</typeparam>
/// <param name="agent">The instance served (tests read its state).</param>
public abstract class AgentOnLoopback<TAgent>(TAgent agent) : IAsyncLifetime
    where TAgent : class, Synapse.Rpc.IAgentNode
{
    protected TAgent Agent { get; } = agent;

    protected AgentHost Host { get; private set; } = null!;

    protected SynapseClient Client { get; private set; } = null!;

    public virtual Task InitializeAsync() => StartAsync(null);

    /// <summary>Serves the agent with <paramref name="options"/> and opens a client to it.</summary>
    protected async Task StartAsync(AgentHostOptions? options)
    {
        Host = new AgentHost(Agent, options);
        await Host.StartAsync();
        Client = new SynapseClient("127.0.0.1", Host.Port);
    }

    public virtual async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Host.DisposeAsync();
    }
}
