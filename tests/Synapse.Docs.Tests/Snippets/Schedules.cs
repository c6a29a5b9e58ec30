// docs/schedules.md: an agent with a job of each kind of schedule, and a host on a given clock.
using Synapse.Hosting;

namespace Synapse.Docs.Tests.Snippets;

[AgentNode(Name = "gardener")]
public sealed partial class Gardener
{
    [Every(Minutes = 30)]
    public void Water() { }

    [Cron("0 9 * * MON-FRI", TimeZone = "Europe/Paris")]
    public Task ReportAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [Solar(SolarEvent.Sunrise, 48.8566, 2.3522)]
    public ValueTask OpenShuttersAsync() => default;

    [Solar("civil_dusk", 48.8566, 2.3522)]
    public void CloseShutters() { }
}

internal static class SchedulesSnippet
{
    public static AgentHost Host(Gardener gardener, TimeProvider clock) =>
        new(gardener, new AgentHostOptions { TimeProvider = clock });
}
