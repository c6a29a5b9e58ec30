using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Synapse.Swarm;
using Synapse.Swarm.Teams;

namespace Synapse.Hosting;

/// <summary>Swarm teams and workers on the swarm nodes of an app's agents (<see cref="SwarmTeam"/>, <see cref="SwarmWorker"/>).</summary>
public static class SwarmTeamServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="SwarmTeam"/> on the swarm node of an added agent, a singleton keyed by the agent's name. It is
    /// made when first resolved, which must be once the app has started (its agent's node exists then), and restores
    /// the tasks of the node's conversation log at once (durable with a keyed <c>ISwarmConversationLog</c>).
    /// </summary>
    /// <param name="builder">The builder from <c>AddSynapse</c>.</param>
    /// <param name="agentName">The agent whose node offers the tasks; a swarm member.</param>
    /// <param name="configure">Lease, attempts and retention.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">No agent of that name was added.</exception>
    public static ISynapseBuilder AddSwarmTeam(this ISynapseBuilder builder, string agentName, Action<SwarmTeamOptions>? configure = null)
    {
        SynapseServiceCollectionExtensions.RequireAgent(builder, agentName, "swarm team");
        builder.Services.AddKeyedSingleton(agentName, (provider, _) =>
        {
            var options = new SwarmTeamOptions();
            configure?.Invoke(options);
            var team = new SwarmTeam(NodeOf(provider, agentName, "team"), options);
            team.Restore();
            return team;
        });
        return builder;
    }

    /// <summary>
    /// Runs a <see cref="SwarmWorker"/> on the swarm node of an added agent, from when the app starts (after the agent)
    /// until it stops; the running tasks are cancelled then, and the team offers them again.
    /// </summary>
    /// <param name="builder">The builder from <c>AddSynapse</c>.</param>
    /// <param name="agentName">The agent whose node claims the tasks; a swarm member.</param>
    /// <param name="handler">Makes the handler that does a task, from the app's services.</param>
    /// <param name="configure">Capabilities, timeouts and concurrency.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">No agent of that name was added.</exception>
    public static ISynapseBuilder AddSwarmWorker(this ISynapseBuilder builder, string agentName, Func<IServiceProvider, SwarmTaskHandler> handler, Action<SwarmWorkerOptions>? configure = null)
    {
        SynapseServiceCollectionExtensions.RequireAgent(builder, agentName, "swarm worker");
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.AddSingleton<IHostedService>(provider => new HostedSwarmWorker(provider, agentName, handler, configure));
        return builder;
    }

    private static SwarmNode NodeOf(IServiceProvider provider, string agentName, string what) =>
        provider.GetRequiredService<SynapseAgents>()[agentName].SwarmNode
        ?? throw new InvalidOperationException($"Agent '{agentName}' is not a swarm member, so it has no swarm for its {what}: give it a Swarm section or AddSwarm(\"{agentName}\").");

    /// <summary>A worker that lives as long as the app runs.</summary>
    private sealed class HostedSwarmWorker(IServiceProvider provider, string agentName, Func<IServiceProvider, SwarmTaskHandler> handler, Action<SwarmWorkerOptions>? configure) : IHostedService, IAsyncDisposable
    {
        private SwarmWorker? _worker;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            var options = new SwarmWorkerOptions();
            configure?.Invoke(options);
            _worker = new SwarmWorker(NodeOf(provider, agentName, "worker"), handler(provider), options);
            return Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _worker, null) is { } worker)
            {
                await worker.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
