using System.Diagnostics;
using Synapse.Client;
using Synapse.Generated.Tests.HostedAgents;
using Synapse.Tasks;

namespace Synapse.Generated.Tests.Tasks;

/// <summary>
/// A host killed with SIGKILL in the middle of a task (tests/Synapse.CrashHost, its tasks in SQLite): the
/// restarted host runs the task again, and a subscriber that was following it gets its final state.
/// </summary>
public sealed class TaskCrashTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "synapse-task-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_subscriber_gets_the_final_state_of_a_task_from_the_host_restarted_after_a_kill()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var port = HostedAgentTests.FreePort();
        await using var client = new SynapseClient("127.0.0.1", port);
        var seen = new List<AgentTaskUpdate>();
        string taskId;
        using (var first = await StartAsync(port, timeout.Token))
        {
            taskId = (await client.StartTaskAsync("count", [40], cancellationToken: timeout.Token)).Id;
            await foreach (var update in client.WatchTaskAsync(taskId, cancellationToken: timeout.Token))
            {
                seen.Add(update);
                if (update.Kind == AgentTaskUpdateKind.Progress && update.Value!.AsInt64() >= 3)
                {
                    break;
                }
            }

            first.Kill(); // SIGKILL: no chance to save anything more
            await first.WaitForExitAsync(timeout.Token);
        }

        using var second = await StartAsync(port, timeout.Token);
        var rest = new List<AgentTaskUpdate>();
        await foreach (var update in client.WatchTaskAsync(taskId, seen[^1].Sequence, timeout.Token))
        {
            rest.Add(update);
        }

        Assert.All(rest, update => Assert.True(update.Sequence > seen[^1].Sequence));
        Assert.Equal(AgentTaskUpdateKind.Snapshot, rest[0].Kind); // the killed host's own updates died with it
        Assert.Equal(AgentTaskState.Completed, rest[^1].State);
        Assert.Equal("counted to 40", rest[^1].Value?.AsString());
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i).TakeLast(5), rest.Where(u => u.Kind == AgentTaskUpdateKind.Progress).Select(u => u.Value!.AsInt64()).TakeLast(5));
        var ended = await client.GetTaskAsync(taskId, timeout.Token);
        Assert.Equal(2, ended.Attempt);
        second.StandardInput.Close();
        await second.WaitForExitAsync(timeout.Token);
    }

    private Task<Process> StartAsync(int port, CancellationToken cancellationToken) => CrashHost.StartAsync("tasks", _directory, port, cancellationToken);
}
