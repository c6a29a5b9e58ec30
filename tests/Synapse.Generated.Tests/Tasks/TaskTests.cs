using Synapse.Client;
using Synapse.Hosting;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Tasks;

namespace Synapse.Generated.Tests.Tasks;

/// <summary>Long-running tasks: started by id, followed, answered, cancelled, kept for a while, and bounded.</summary>
public sealed class TaskTests() : AgentOnLoopback<Builder>(new Builder())
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private AgentTaskOptions Tasks { get; } = new() { Retention = TimeSpan.FromMinutes(5) };

    public override async Task InitializeAsync()
    {
        await RestartAsync(options => options.Tasks = Tasks);
    }

    [Fact]
    public async Task A_task_runs_to_its_result_which_get_returns()
    {
        var started = await Client.StartTaskAsync("build", [3]);

        Assert.Equal(32, started.Id.Length);
        Assert.Equal("build", started.Endpoint);
        Assert.Equal(1, started.Attempt);
        var ended = await Client.WaitForTaskAsync(started.Id).WaitAsync(Patience);
        Assert.Equal(AgentTaskState.Completed, ended.State);
        Assert.Equal("built in 3 steps", ended.Result?.AsString());
        Assert.Equal(3, ended.Progress?.AsInt64());
        Assert.Equal(ended, await Client.GetTaskAsync(started.Id));
    }

    [Fact]
    public async Task A_subscriber_sees_every_state_progress_report_and_result_in_order()
    {
        var started = await Client.StartTaskAsync("build", [5]);

        var updates = await WatchAsync(Client, started.Id);

        Assert.Equal(Enumerable.Range(1, updates.Count).Select(i => (long)i), updates.Select(u => u.Sequence));
        Assert.Equal([AgentTaskState.Submitted, AgentTaskState.Working, AgentTaskState.Completed], updates.Where(u => u.Kind == AgentTaskUpdateKind.State).Select(u => u.State));
        Assert.Equal([1L, 2, 3, 4, 5], updates.Where(u => u.Kind == AgentTaskUpdateKind.Progress).Select(u => u.Value!.AsInt64()));
        Assert.Equal("built in 5 steps", updates[^1].Value?.AsString());
        Assert.True(updates[^1].IsFinal);
    }

    [Fact]
    public async Task A_streaming_endpoint_yields_partial_results()
    {
        var started = await Client.StartTaskAsync("parts", [40]);

        var updates = await WatchAsync(Client, started.Id);

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), updates.Where(u => u.Kind == AgentTaskUpdateKind.Item).Select(u => u.Value!.AsInt64()));
        Assert.Equal(AgentTaskState.Completed, updates[^1].State);
    }

    [Fact]
    public async Task A_task_that_asks_waits_in_input_required_until_answered()
    {
        var started = await Client.StartTaskAsync("confirm", ["the roof"]);
        await using var watcher = new SynapseClient("127.0.0.1", Host.Port);
        var watching = WatchAsync(watcher, started.Id);

        var asked = await WaitForStateAsync(started.Id, AgentTaskState.InputRequired);
        Assert.Equal("go ahead with the roof?", asked.Prompt);
        var answered = await Client.AnswerTaskAsync(started.Id, "yes");

        Assert.NotEqual(AgentTaskState.InputRequired, answered.State);
        var updates = await watching;
        Assert.Contains(updates, u => u.State == AgentTaskState.InputRequired && u.Prompt == "go ahead with the roof?");
        Assert.Equal("the roof: yes", updates[^1].Value?.AsString());
        var again = await Assert.ThrowsAsync<RpcException>(() => Client.AnswerTaskAsync(started.Id, "no"));
        Assert.Equal(RpcErrorCodes.BadRequest, again.Code);
        Assert.Contains("is not waiting for input (it is completed)", again.Message);
    }

    [Fact]
    public async Task An_unanswered_question_fails_the_task_after_the_input_timeout()
    {
        Tasks.InputTimeout = TimeSpan.FromMilliseconds(200);
        await RestartAsync(options => options.Tasks = Tasks);

        var started = await Client.StartTaskAsync("confirm", ["the cellar"]);
        var ended = await Client.WaitForTaskAsync(started.Id).WaitAsync(Patience);

        Assert.Equal(AgentTaskState.Failed, ended.State);
        Assert.Equal(RpcErrorCodes.Timeout, ended.ErrorCode);
        Assert.Contains("no answer to 'go ahead with the cellar?'", ended.ErrorMessage);
    }

    [Fact]
    public async Task A_plain_call_that_asks_for_input_is_told_to_run_as_a_task()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.CallAsync("confirm", ["the porch"]));

        Assert.Equal(RpcErrorCodes.BadRequest, error.Code);
        Assert.Contains("start it as a task (_synapse.task.start)", error.Message);
    }

    [Fact]
    public async Task A_cancelled_task_ends_canceled_and_its_subscribers_see_it()
    {
        var started = await Client.StartTaskAsync("forever");
        var watching = WatchAsync(Client, started.Id);
        await WaitForStateAsync(started.Id, AgentTaskState.Working);

        await Client.CancelTaskAsync(started.Id);

        var updates = await watching;
        Assert.Equal(AgentTaskState.Canceled, updates[^1].State);
        Assert.Equal(RpcErrorCodes.Cancelled, updates[^1].ErrorCode);
        Assert.Equal(AgentTaskState.Canceled, (await Client.CancelTaskAsync(started.Id)).State); // cancelling again changes nothing
    }

    [Fact]
    public async Task A_failing_task_ends_failed_with_the_error()
    {
        var started = await Client.StartTaskAsync("explode");

        var ended = await Client.WaitForTaskAsync(started.Id).WaitAsync(Patience);

        Assert.Equal(AgentTaskState.Failed, ended.State);
        Assert.Equal(RpcErrorCodes.InternalError, ended.ErrorCode);
        Assert.Equal("the boiler burst", ended.ErrorMessage);
    }

    [Fact]
    public async Task A_subscriber_resumes_after_its_connection_dropped_without_gaps_or_repeats()
    {
        var started = await Client.StartTaskAsync("gated", ["resume"]);
        var seen = new List<AgentTaskUpdate>();
        await using (var first = new SynapseClient("127.0.0.1", Host.Port))
        {
            await foreach (var update in first.WatchTaskAsync(started.Id).WithCancellation(new CancellationTokenSource(Patience).Token))
            {
                seen.Add(update);
                if (update.Kind == AgentTaskUpdateKind.Progress)
                {
                    break;
                }
            }
        } // the connection is gone

        Agent.Gate("resume").SetResult("opened");
        await using var second = new SynapseClient("127.0.0.1", Host.Port);
        var rest = await WatchAsync(second, started.Id, after: seen[^1].Sequence);

        Assert.Equal(Enumerable.Range(1, seen.Count + rest.Count).Select(i => (long)i), seen.Concat(rest).Select(u => u.Sequence));
        Assert.Equal("opened", rest[^1].Value?.AsString());
    }

    [Fact]
    public async Task A_subscriber_behind_the_kept_updates_gets_a_snapshot_instead()
    {
        Tasks.MaxUpdatesKept = 4;
        await RestartAsync(options => options.Tasks = Tasks);
        var started = await Client.StartTaskAsync("parts", [50]);
        await Client.WaitForTaskAsync(started.Id).WaitAsync(Patience);

        var updates = await WatchAsync(Client, started.Id, after: 0);

        var snapshot = Assert.Single(updates);
        Assert.Equal(AgentTaskUpdateKind.Snapshot, snapshot.Kind);
        Assert.Equal(AgentTaskState.Completed, snapshot.State);
        Assert.Equal((await Client.GetTaskAsync(started.Id)).Sequence, snapshot.Sequence);
        var tail = await WatchAsync(Client, started.Id, after: snapshot.Sequence - 2);
        Assert.Equal([snapshot.Sequence - 1, snapshot.Sequence], tail.Select(u => u.Sequence)); // within the kept updates: no snapshot
    }

    [Fact]
    public async Task Large_partial_results_are_kept_within_the_byte_budget_newest_first()
    {
        Tasks.MaxUpdateBytesKept = 10_000;
        await RestartAsync(options => options.Tasks = Tasks);
        var started = await Client.StartTaskAsync("blobs", [20, 4_000]);
        var last = (await Client.WaitForTaskAsync(started.Id).WaitAsync(Patience)).Sequence;

        var kept = await WatchAsync(Client, started.Id, after: last - 3);
        var dropped = await WatchAsync(Client, started.Id, after: last - 4);

        // Two items of 4,000 bytes fit in 10,000; a third would not: the last two and the final state are kept.
        Assert.Equal([AgentTaskUpdateKind.Item, AgentTaskUpdateKind.Item, AgentTaskUpdateKind.State], kept.Select(u => u.Kind));
        Assert.All(kept.Take(2), item => Assert.Equal(4_000, item.Value!.AsBinary().Length));
        Assert.Equal(AgentTaskUpdateKind.Snapshot, Assert.Single(dropped).Kind);
    }

    [Fact]
    public async Task The_task_handler_runs_as_a_task()
    {
        var started = await Client.StartTaskAsync("_agent.ask", ["the chores"]);

        Assert.Equal("did the chores", (await Client.WaitForTaskAsync(started.Id).WaitAsync(Patience)).Result?.AsString());
    }

    [Fact]
    public async Task A_finished_task_is_forgotten_after_its_retention()
    {
        Tasks.Retention = TimeSpan.FromSeconds(1);
        await RestartAsync(options => options.Tasks = Tasks);
        var started = await Client.StartTaskAsync("build", [1]);
        Assert.Equal(AgentTaskState.Completed, (await Client.WaitForTaskAsync(started.Id).WaitAsync(Patience)).State);

        var gone = await Poll.UntilThrowsAsync<RpcException>(() => Client.GetTaskAsync(started.Id), Patience);

        Assert.Equal(RpcErrorCodes.BadRequest, gone.Code);
        Assert.Equal($"_synapse.task.get: no task '{started.Id}' on this node (it expired, or was never started here)", gone.Message);
    }

    [Theory]
    [InlineData("nope", "Unregistered endpoint called: nope")]
    [InlineData("_synapse.ping", "_synapse.task.start: _synapse.ping is a built-in; tasks run the agent's endpoints and _agent.ask")]
    public async Task What_cannot_run_as_a_task_is_refused_by_name(string endpoint, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.StartTaskAsync(endpoint));

        Assert.Equal(RpcErrorCodes.BadRequest, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Malformed_task_calls_get_errors_that_name_the_argument()
    {
        var errors = new[]
        {
            await Assert.ThrowsAsync<RpcException>(() => Client.CallAsync("_synapse.task.start", [])),
            await Assert.ThrowsAsync<RpcException>(() => Client.CallAsync("_synapse.task.start", ["build", 3])),
            await Assert.ThrowsAsync<RpcException>(() => Client.CallAsync("_synapse.task.get", [new string('x', 65)])),
            await Assert.ThrowsAsync<RpcException>(() => Client.CallAsync("_synapse.task.get", [], new Dictionary<string, MsgPackValue> { ["task"] = "x" })),
            await Assert.ThrowsAsync<RpcException>(() => Client.CallAsync("_synapse.task.subscribe", ["x", "y", "z"])),
        };

        Assert.All(errors, e => Assert.Equal(RpcErrorCodes.BadRequest, e.Code));
        Assert.Equal("_synapse.task.start: missing argument 'endpoint': the endpoint to run", errors[0].Message);
        Assert.Equal("_synapse.task.start: 'args' must be an array of positional arguments, got Integer", errors[1].Message);
        Assert.Equal($"_synapse.task.get: '{new string('x', 80)[..65]}' is no task id (longer than 64 characters)", errors[2].Message);
        Assert.StartsWith("_synapse.task.get: unexpected keyword argument \"task\"", errors[3].Message);
        Assert.Equal("_synapse.task.subscribe: takes at most 2 arguments (id, after); got 3", errors[4].Message);
    }

    [Fact]
    public async Task Tasks_beyond_the_active_limit_are_refused_as_busy()
    {
        Tasks.MaxActiveTasks = 1;
        await RestartAsync(options => options.Tasks = Tasks);
        var first = await Client.StartTaskAsync("gated", ["limit"]);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Client.StartTaskAsync("build", [1]));

        Assert.StartsWith("server busy: the node runs 1 tasks, its limit", refused.Message);
        Agent.Gate("limit").SetResult("done");
        await Client.WaitForTaskAsync(first.Id).WaitAsync(Patience);
        Assert.Equal(AgentTaskState.Completed, (await Client.WaitForTaskAsync((await Client.StartTaskAsync("build", [1])).Id)).State);
    }

    [Fact]
    public async Task An_endpoint_restricted_to_some_callers_starts_as_a_task_for_them_only()
    {
        var allowed = AgentIdentity.Generate();
        await RestartAsync(options =>
        {
            options.Tasks = Tasks;
            options.AllowCallers("build", allowed.Id);
        });
        await using var friend = new SynapseClient("127.0.0.1", Host.Port, new SynapseClientOptions { Identity = allowed });

        var refused = await Assert.ThrowsAsync<RpcException>(() => Client.StartTaskAsync("build", [1]));

        Assert.Equal(RpcErrorCodes.Forbidden, refused.Code);
        Assert.Equal(AgentTaskState.Completed, (await friend.WaitForTaskAsync((await friend.StartTaskAsync("build", [1])).Id)).State);
    }

    [Fact]
    public async Task Under_owner_only_another_caller_cannot_see_the_task()
    {
        Tasks.OwnerOnly = true;
        await RestartAsync(options => options.Tasks = Tasks);
        await using var owner = new SynapseClient("127.0.0.1", Host.Port, new SynapseClientOptions { Identity = AgentIdentity.Generate() });
        await using var stranger = new SynapseClient("127.0.0.1", Host.Port, new SynapseClientOptions { Identity = AgentIdentity.Generate() });
        var started = await owner.StartTaskAsync("gated", ["owner"]);

        Assert.Equal(RpcErrorCodes.BadRequest, (await Assert.ThrowsAsync<RpcException>(() => stranger.GetTaskAsync(started.Id))).Code);
        Assert.Equal(RpcErrorCodes.BadRequest, (await Assert.ThrowsAsync<RpcException>(() => stranger.CancelTaskAsync(started.Id))).Code);
        Agent.Gate("owner").SetResult("mine");
        Assert.Equal("mine", (await owner.WaitForTaskAsync(started.Id).WaitAsync(Patience)).Result?.AsString());
    }

    [Fact]
    public async Task A_link_of_one_call_starts_and_polls_tasks_but_cannot_subscribe()
    {
        await using var perCall = new SynapseClient("127.0.0.1", Host.Port, new SynapseClientOptions { Mode = ConnectionMode.PerCall, Security = LinkSecurity.Disabled });
        var started = await perCall.StartTaskAsync("build", [2]);

        var ended = await Poll.UntilAsync(() => perCall.GetTaskAsync(started.Id), t => t.State.IsFinal(), Patience);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await WatchAsync(perCall, started.Id));

        Assert.Equal("built in 2 steps", ended.Result?.AsString());
        Assert.Equal(RpcErrorCodes.BadRequest, error.Code);
        Assert.Contains("streams its results", error.Message);
    }

    [Fact]
    public async Task A_host_without_task_options_has_no_task_builtins()
    {
        await RestartAsync(_ => { });

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.StartTaskAsync("build", [1]));

        Assert.Equal("Unregistered endpoint called: _synapse.task.start", error.Message);
    }

    [Fact]
    public void Invalid_options_are_refused_by_name()
    {
        var options = new AgentHostOptions { Tasks = new AgentTaskOptions { MaxUpdatesKept = 0 } };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal("MaxUpdatesKept", error.ParamName);
    }

    /// <summary>Replaces the host (and client) with one whose options <paramref name="configure"/> sets.</summary>
    private async Task RestartAsync(Action<AgentHostOptions> configure)
    {
        if (Host is not null)
        {
            await DisposeAsync();
        }

        var options = new AgentHostOptions();
        configure(options);
        await StartAsync(options);
    }

    private async Task<AgentTaskInfo> WaitForStateAsync(string id, AgentTaskState state) =>
        await Poll.UntilAsync(() => Client.GetTaskAsync(id), t => t.State == state, Patience);

    private static async Task<List<AgentTaskUpdate>> WatchAsync(SynapseClient client, string id, long after = 0)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var updates = new List<AgentTaskUpdate>();
        await foreach (var update in client.WatchTaskAsync(id, after, timeout.Token))
        {
            updates.Add(update);
        }

        return updates;
    }
}
