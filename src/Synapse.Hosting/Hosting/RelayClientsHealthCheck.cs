using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Synapse.Hosting;

/// <summary>
/// Whether every relay client the app added is connected to a relay: healthy when all are (with each one's relay in
/// the report's data), the failure status naming those that are not (they are reconnecting; their outboxes keep what
/// is sent meanwhile).
/// </summary>
internal sealed class RelayClientsHealthCheck(IServiceProvider services, RelayClientNames names) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var disconnected = new List<string>();
        foreach (var name in names.Set.Order(StringComparer.Ordinal))
        {
            var client = services.GetRequiredKeyedService<HostedRelayClient>(name).Client;
            if (client.CurrentRelay is { } relay)
            {
                data[name] = relay.EndPoint.ToString()!;
            }
            else
            {
                disconnected.Add(name);
                data[name] = $"disconnected, {client.PendingCount} message(s) waiting";
            }
        }

        return Task.FromResult(disconnected.Count == 0
            ? HealthCheckResult.Healthy($"{data.Count} relay client(s) connected", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"not connected: {string.Join(", ", disconnected)}", data: data));
    }
}
