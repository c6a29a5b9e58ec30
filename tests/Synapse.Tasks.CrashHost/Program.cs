// Usage: Synapse.Tasks.CrashHost DIRECTORY PORT
// Serves the counter agent on 127.0.0.1:PORT with its tasks in DIRECTORY/tasks.db, prints "listening PORT", and runs
// until killed or its standard input closes.
using System.Globalization;
using Synapse;
using Synapse.Hosting;
using Synapse.Tasks;

using var store = SqliteTaskStore.Open(args[0]);
var options = new AgentHostOptions { Port = int.Parse(args[1], CultureInfo.InvariantCulture), Tasks = new AgentTaskOptions { Store = store } };
await using var host = new AgentHost(new Counter(), options);
await host.StartAsync();
Console.WriteLine($"listening {host.Port}");
await Console.In.ReadToEndAsync();

/// <summary>Counts slowly, reporting each step: a task long enough to be killed in the middle.</summary>
[AgentNode(Name = "counter")]
internal sealed partial class Counter
{
    [Endpoint("count")]
    public async Task<string> Count(int to, IProgress<int> progress, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= to; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            progress.Report(i);
        }

        return $"counted to {to}";
    }
}
