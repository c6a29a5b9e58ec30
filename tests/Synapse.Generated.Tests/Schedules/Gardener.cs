using System.Collections.Concurrent;

namespace Synapse.Generated.Tests.Schedules;

/// <summary>An agent with a background job of each kind of schedule, recording when each ran by its clock.</summary>
[AgentNode(Name = "gardener")]
public sealed partial class Gardener(TimeProvider time)
{
    public ConcurrentQueue<(string Job, DateTimeOffset At)> Runs { get; } = new();

    [Every(Minutes = 30)]
    public void Water() => Runs.Enqueue((nameof(Water), time.GetUtcNow()));

    [Cron("0 9 * * MON-FRI", TimeZone = "Europe/Paris")]
    public Task ReportAsync(CancellationToken cancellationToken)
    {
        Runs.Enqueue((nameof(ReportAsync), time.GetUtcNow()));
        return Task.CompletedTask;
    }

    [Solar("sunrise", 48.8566, 2.3522)]
    public ValueTask OpenShuttersAsync()
    {
        Runs.Enqueue((nameof(OpenShuttersAsync), time.GetUtcNow()));
        return default;
    }

    [Solar(SolarEvent.CivilDusk, 48.8566, 2.3522)]
    public void CloseShutters() => Runs.Enqueue((nameof(CloseShutters), time.GetUtcNow()));
}
