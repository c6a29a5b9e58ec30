using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Synapse.Hosting;

/// <summary>Health checks for what <see cref="SynapseServiceCollectionExtensions.AddSynapse"/> runs.</summary>
public static class SynapseHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that every agent added with <see cref="SynapseServiceCollectionExtensions.AddAgent{TAgent}"/> is
    /// running: healthy with each agent's endpoint in its data, or <paramref name="failureStatus"/> naming the agents
    /// that are not.
    /// </summary>
    /// <param name="builder">From <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">What an agent that is not running makes the check report (unhealthy by default).</param>
    /// <param name="tags">Tags for filtering checks (readiness, liveness).</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddSynapseAgents(this IHealthChecksBuilder builder, string name = "synapse-agents", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            provider => new AgentsHealthCheck(provider.GetRequiredService<SynapseAgents>(), provider.GetService<AgentNames>() ?? new AgentNames()),
            failureStatus,
            tags));
    }

    /// <summary>
    /// Adds a check that every relay client added with <see cref="SynapseServiceCollectionExtensions.AddRelayClient"/>
    /// is connected to a relay: healthy with each one's relay in its data, or <paramref name="failureStatus"/> naming
    /// those that are reconnecting (pass <see cref="HealthStatus.Degraded"/> when the app can run on its outbox a while).
    /// </summary>
    /// <param name="builder">From <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">What a disconnected client makes the check report (unhealthy by default).</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddSynapseRelayClients(this IHealthChecksBuilder builder, string name = "synapse-relay-clients", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            provider => new RelayClientsHealthCheck(provider, provider.GetService<RelayClientNames>() ?? new RelayClientNames()),
            failureStatus,
            tags));
    }
}
