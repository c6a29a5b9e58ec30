// Usage: Synapse.CrashHost tasks|swarm DIRECTORY PORT
// Serves the counter agent on 127.0.0.1:PORT, prints "listening PORT", and runs until killed or its standard input
// closes. "tasks": its long-running tasks in DIRECTORY/tasks.db. "swarm": a member of swarm "lab" with its conversation
// log in DIRECTORY/conversations.db.
using System.Globalization;
using Synapse;
using Synapse.Hosting;
using Synapse.Swarm;
using Synapse.Tasks;

var (mode, directory, port) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
var options = new AgentHostOptions { Port = port };
using var tasks = mode == "tasks" ? SqliteTaskStore.Open(directory) : null;
using var conversations = mode == "swarm" ? SqliteConversationLog.Open(directory) : null;
if (tasks is not null)
{
    options.Tasks = new AgentTaskOptions { Store = tasks };
}
else if (conversations is not null)
{
    options.NodeId = "crash-host";
    options.SwarmNode = new SwarmOptions { Swarm = "lab", HeartbeatInterval = null, ConversationLog = conversations };
}
else
{
    throw new ArgumentException($"unknown mode '{mode}': tasks or swarm");
}

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
