using Synapse.Client;
using Synapse.Hosting;
using Synapse.Rpc;
using Synapse.Tasks;

namespace Synapse.Generated.Tests.Tasks;

/// <summary>Tasks kept in SQLite across a host's restart: finished ones keep their results, unfinished ones run again or fail.</summary>
public sealed class TaskStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "synapse-tasks-" + Guid.NewGuid().ToString("N"));
    private readonly List<IAsyncDisposable> _open = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var open in Enumerable.Reverse(_open))
        {
            await open.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_finished_task_keeps_its_result_across_a_restart()
    {
        var (host, client, store) = await StartAsync(new Builder());
        var started = await client.StartTaskAsync("build", [2]);
        var ended = await client.WaitForTaskAsync(started.Id).WaitAsync(Patience);
        await StopAsync(host, client, store);

        (_, client, _) = await StartAsync(new Builder());

        var kept = await client.GetTaskAsync(started.Id);
        Assert.Equal(ended with { Progress = null, Sequence = kept.Sequence }, kept); // progress is not stored
        Assert.True(kept.Sequence > ended.Sequence);
    }

    [Fact]
    public async Task An_unfinished_task_runs_again_after_a_restart_and_a_subscriber_sees_it_end()
    {
        var (host, client, store) = await StartAsync(new Builder());
        var started = await client.StartTaskAsync("gated", ["restart"]);
        var before = await Poll.UntilAsync(() => client.GetTaskAsync(started.Id), t => t.Progress is not null, Patience);
        await StopAsync(host, client, store);

        var agent = new Builder();
        (_, client, _) = await StartAsync(agent);
        await Poll.UntilAsync(() => Task.FromResult(agent.GatedRuns), runs => runs == 1, Patience);
        agent.Gate("restart").SetResult("after the restart");

        var updates = new List<AgentTaskUpdate>();
        await foreach (var update in client.WatchTaskAsync(started.Id, before.Sequence).WithCancellation(new CancellationTokenSource(Patience).Token))
        {
            updates.Add(update);
        }

        Assert.All(updates, u => Assert.True(u.Sequence > before.Sequence));
        Assert.Equal(AgentTaskUpdateKind.Snapshot, updates[0].Kind); // what the old host numbered is gone
        Assert.Equal("after the restart", updates[^1].Value?.AsString());
        var ended = await client.GetTaskAsync(started.Id);
        Assert.Equal(2, ended.Attempt);
        Assert.Equal(AgentTaskState.Completed, ended.State);
    }

    [Fact]
    public async Task A_waiting_client_resubscribes_by_itself_across_a_restart_of_the_host()
    {
        var (host, client, store) = await StartAsync(new Builder());
        var port = host.Port;
        var started = await client.StartTaskAsync("gated", ["wait"]);
        await Poll.UntilAsync(() => client.GetTaskAsync(started.Id), t => t.Progress is not null, Patience);
        await using var waiter = new SynapseClient("127.0.0.1", port);
        var waiting = waiter.WaitForTaskAsync(started.Id);
        await StopAsync(host, client, store);

        var agent = new Builder();
        await StartAsync(agent, port: port);
        await Poll.UntilAsync(() => Task.FromResult(agent.GatedRuns), runs => runs == 1, Patience);
        agent.Gate("wait").SetResult("waited");

        var ended = await waiting.WaitAsync(Patience);
        Assert.Equal("waited", ended.Result?.AsString());
        Assert.Equal(2, ended.Attempt);
    }

    [Fact]
    public async Task Under_fail_recovery_an_unfinished_task_fails_naming_the_restart()
    {
        var (host, client, store) = await StartAsync(new Builder());
        var started = await client.StartTaskAsync("gated", ["never"]);
        await Poll.UntilAsync(() => client.GetTaskAsync(started.Id), t => t.State == AgentTaskState.Working, Patience);
        await StopAsync(host, client, store);

        var agent = new Builder();
        (_, client, _) = await StartAsync(agent, AgentTaskRecovery.Fail);

        var ended = await client.GetTaskAsync(started.Id);
        Assert.Equal(AgentTaskState.Failed, ended.State);
        Assert.Equal(RpcErrorCodes.Unavailable, ended.ErrorCode);
        Assert.Equal("the node restarted while the task ran (run 1 of at most 1)", ended.ErrorMessage);
        Assert.Equal(0, agent.GatedRuns);
    }

    [Fact]
    public async Task A_task_that_outlives_its_attempts_fails()
    {
        var (host, client, store) = await StartAsync(new Builder(), maxAttempts: 2);
        var started = await client.StartTaskAsync("gated", ["stuck"]);
        await StopAsync(host, client, store);
        var second = new Builder();
        (host, client, store) = await StartAsync(second, maxAttempts: 2);
        await Poll.UntilAsync(() => Task.FromResult(second.GatedRuns), runs => runs == 1, Patience);
        Assert.Equal(2, (await client.GetTaskAsync(started.Id)).Attempt);
        await StopAsync(host, client, store);

        (_, client, _) = await StartAsync(new Builder(), maxAttempts: 2);

        var ended = await client.GetTaskAsync(started.Id);
        Assert.Equal(AgentTaskState.Failed, ended.State);
        Assert.Equal("the node restarted while the task ran (run 2 of at most 2)", ended.ErrorMessage);
    }

    private async Task<(AgentHost Host, SynapseClient Client, SqliteTaskStore Store)> StartAsync(Builder agent, AgentTaskRecovery recovery = AgentTaskRecovery.RunAgain, int maxAttempts = 3, int port = 0)
    {
        var store = SqliteTaskStore.Open(_directory);
        var options = new AgentHostOptions { Port = port, Tasks = new AgentTaskOptions { Store = store, Recovery = recovery, MaxAttempts = maxAttempts } };
        var host = new AgentHost(agent, options);
        await host.StartAsync();
        var client = new SynapseClient("127.0.0.1", host.Port);
        _open.Add(new Closing(host, client, store));
        return (host, client, store);
    }

    private async Task StopAsync(AgentHost host, SynapseClient client, SqliteTaskStore store)
    {
        var closing = _open.OfType<Closing>().Single(c => c == new Closing(host, client, store));
        _open.Remove(closing);
        await closing.DisposeAsync();
    }

    private sealed record Closing(AgentHost Host, SynapseClient Client, SqliteTaskStore Store) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Host.DisposeAsync();
            Store.Dispose();
        }
    }
}

