using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Synapse.Hosting;

/// <summary>
/// Whether every agent the app added is running: healthy when all are (with each one's endpoint in the report's
/// data), unhealthy naming those that are not (they failed to start, or were stopped).
/// </summary>
internal sealed class AgentsHealthCheck(SynapseAgents agents, AgentNames names) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var running = agents.Names.ToHashSet(StringComparer.Ordinal);
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var name in names.Set.Order(StringComparer.Ordinal))
        {
            if (running.Contains(name))
            {
                data[name] = agents[name].LocalEndPoint.ToString()!;
            }
            else
            {
                missing.Add(name);
            }
        }

        return Task.FromResult(missing.Count == 0
            ? HealthCheckResult.Healthy($"{data.Count} agent(s) running", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"not running: {string.Join(", ", missing)}", data: data));
    }
}
