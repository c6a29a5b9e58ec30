using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Synapse.Flows.Graph;

/// <summary>
/// Whether a decision graph still records: healthy with its file and newest committed record in the report's data,
/// the failure status with the reason once a commit has failed (the graph then takes no more appends) or it was
/// closed. Register it beside the graph: <c>services.AddHealthChecks().AddCheck&lt;DecisionGraphHealthCheck&gt;("decision-graph")</c>.
/// </summary>
/// <param name="graph">The graph, from the app's services.</param>
public sealed class DecisionGraphHealthCheck(DecisionGraph graph) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["path"] = graph.Path };
        if (graph.Unusable is { } reason)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, reason, data: data));
        }

        data["latest_sequence"] = graph.Latest?.Sequence ?? 0;
        return Task.FromResult(HealthCheckResult.Healthy("recording", data));
    }
}
