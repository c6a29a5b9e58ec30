using Synapse.Client;
using Synapse.Hosting;
using Synapse.Tasks;

namespace Synapse.Benchmarks;

/// <summary>
/// What running a call as a long-running task costs (client and host in one process, one secure multiplexed link):
/// unary calls against the same endpoint started as tasks and followed to their end (start, subscribe, get), with
/// tasks in memory and in SQLite (each task writes three states, each written with an fsync).
/// </summary>
internal static class TaskHarness
{
    private const int InFlight = 16;

    public static async Task RunAsync(TimeSpan duration)
    {
        var directory = Directory.CreateTempSubdirectory("synapse-task-bench-");
        try
        {
            await using var memory = await StartAsync(null);
            using var store = SqliteTaskStore.Open(directory.FullName);
            await using var sqlite = await StartAsync(store);
            Console.WriteLine($"tasks against unary calls: sum(1, 0), {InFlight} in flight, {duration.TotalSeconds:0} s per row, twice in alternating order");
            await AlternatingRounds.RunAsync(
            [
                ("unary call", () => ConcurrentLoops.RunAsync(InFlight, () => memory.Bench.SumAsync(1, 0), duration)),
                ("task, kept in memory", () => ConcurrentLoops.RunAsync(InFlight, () => RunTaskAsync(memory.Client), duration)),
                ("task, kept in SQLite", () => ConcurrentLoops.RunAsync(InFlight, () => RunTaskAsync(sqlite.Client), duration)),
            ]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<int> RunTaskAsync(SynapseClient client)
    {
        var task = await client.StartTaskAsync("sum", [1, 0]);
        return (int)(await client.WaitForTaskAsync(task.Id)).Result!.AsInt64();
    }

    // Finished tasks leave after a second, so the run stays under the limit of kept tasks.
    private static Task<ServedAgent> StartAsync(IAgentTaskStore? store) => ServedAgent.StartAsync(
        new AgentHostOptions { Tasks = new AgentTaskOptions { Store = store, Retention = TimeSpan.FromSeconds(1), MaxRetainedTasks = 1_000_000 } },
        InFlight,
        RunTaskAsync);
}
