using Synapse.Client;
using Synapse.Hosting;
using Synapse.MessagePack;
using Synapse.Swarm;
using Synapse.Swarm.Teams;
using Synapse.Tasks;

namespace Synapse.Generated.Tests.Swarm;

/// <summary>
/// Teams (synapse-p2p §1.11) between Synapse nodes and with the Python swarm peer written from the spec: offer,
/// claim, grant, progress, done or failed; a task silent for a lease is offered again; a team restores its tasks from
/// the durable log after a restart.
/// </summary>
public sealed class SwarmTeamTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "synapse-team-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_capable_worker_claims_is_granted_and_its_result_ends_the_task()
    {
        await using var lead = await SwarmHosts.StartAsync(new Listener(), "lead", null);
        await using var able = await SwarmHosts.StartAsync(new Listener(), "able", lead.Port);
        await using var unable = await SwarmHosts.StartAsync(new Listener(), "unable", lead.Port);
        await PeersAsync(lead, 2);
        await using var team = new SwarmTeam(lead.SwarmNode!);
        await using var worker = new SwarmWorker(able.SwarmNode!, (task, _) => Task.FromResult<MsgPackValue>($"reviewed {task.Title} ({task.Spec["pr"]!.AsInt64()})"), new SwarmWorkerOptions { Capabilities = ["review", "python"] });
        await using var other = new SwarmWorker(unable.SwarmNode!, (_, _) => Task.FromResult<MsgPackValue>("wrong worker"), new SwarmWorkerOptions { Capabilities = ["python"] });

        var offered = await team.OfferAsync("PR 7", MsgPackValue.Map(("pr", 7)), ["review"]);
        var done = await team.WaitAsync(offered.TaskId, Patience);

        Assert.Equal(("reviewed PR 7 (7)", "able", "listener", 1), (done.Result?.AsString(), done.WorkerId, done.WorkerName, done.Attempt));
        Assert.Equal([TeamEvents.Offer, TeamEvents.Claim, TeamEvents.Grant, TeamEvents.Done], lead.SwarmNode!.Conversations.Get(offered.TaskId).Select(e => e.Kind));
        var grant = lead.SwarmNode!.Conversations.Get(offered.TaskId)[2];
        Assert.Equal($$"""{"task_id":"{{offered.TaskId}}","worker_id":"able","worker_name":"listener"}""", grant.Payload.ToJson());
        Assert.Equal(lead.SwarmNode!.Conversations.Get(offered.TaskId)[1].EventId, grant.ParentId);
    }

    [Fact]
    public async Task Only_a_granted_worker_can_end_a_task()
    {
        await using var lead = await SwarmHosts.StartAsync(new Listener(), "lead", null);
        await using var team = new SwarmTeam(lead.SwarmNode!);
        var offered = await team.OfferAsync("nobody may do this");
        await using var client = new SynapseClient("127.0.0.1", lead.Port);
        var forger = new SwarmPeer("forger", "127.0.0.1", 1) { Swarm = "lab", Team = "default" };

        var forged = SwarmConversationEvent.Create(offered.TaskId, TeamEvents.Done, forger, MsgPackValue.Map(("task_id", offered.TaskId), ("result", "forged")), null, lead.SwarmNode!.Membership.Now);
        var stored = await client.CallAsync("_synapse.conversation.event", [forged.ToMsgPack()]);

        Assert.True(stored["stored"]!.AsBoolean());
        Assert.Equal(SwarmTeamTaskState.Offered, team.Get(offered.TaskId)!.State);
    }

    [Fact]
    public async Task A_flood_of_offers_draws_no_more_claims_than_the_worker_may_hold()
    {
        await using var lead = await SwarmHosts.StartAsync(new Listener(), "lead", null);
        await using var member = await SwarmHosts.StartAsync(new Listener(), "member", lead.Port);
        await PeersAsync(lead, 1);
        await using var worker = new SwarmWorker(member.SwarmNode!, (_, _) => Task.FromResult(MsgPackValue.Nil), new SwarmWorkerOptions { MaxPendingClaims = 3 });

        for (var i = 0; i < 20; i++) // offers no team will ever grant
        {
            await lead.SwarmNode!.EmitAsync($"t{i}", TeamEvents.Offer, MsgPackValue.Map(("task_id", $"t{i}"), ("title", "bait"), ("spec", SwarmConversationEvent.EmptyMap), ("requires", MsgPackValue.FromArray([])), ("attempt", 1)));
        }

        await Poll.UntilAsync(() => Task.FromResult(Claims(lead)), n => n == 3, Patience);
        await Task.Delay(300);
        Assert.Equal(3, Claims(lead));

        static int Claims(AgentHost host) => host.SwarmNode!.Conversations.ConversationIds.Sum(id => host.SwarmNode!.Conversations.Get(id).Count(e => e.Kind == TeamEvents.Claim));
    }

    [Fact]
    public async Task A_worker_that_throws_fails_the_task_with_its_message()
    {
        await using var lead = await SwarmHosts.StartAsync(new Listener(), "lead", null);
        await using var member = await SwarmHosts.StartAsync(new Listener(), "member", lead.Port);
        await PeersAsync(lead, 1);
        await using var team = new SwarmTeam(lead.SwarmNode!);
        await using var worker = new SwarmWorker(member.SwarmNode!, (_, _) => throw new InvalidOperationException("disk on fire"));

        var offered = await team.OfferAsync("doomed");
        var error = await Assert.ThrowsAsync<SwarmTeamTaskException>(() => team.WaitAsync(offered.TaskId, Patience));

        Assert.Equal(("disk on fire", SwarmTeamTaskState.Failed), (error.Task.Error, error.Task.State));
        Assert.Equal($"team task {offered.TaskId} ('doomed') failed: disk on fire", error.Message);
    }

    [Fact]
    public async Task An_unclaimed_task_is_offered_again_each_lease_and_fails_after_its_attempts()
    {
        await using var lead = await SwarmHosts.StartAsync(new Listener(), "lead", null);
        await using var team = new SwarmTeam(lead.SwarmNode!, new SwarmTeamOptions { Lease = TimeSpan.FromMilliseconds(300), MaxAttempts = 3 });

        var offered = await team.OfferAsync("no takers", requires: ["unheard-of"]);
        var error = await Assert.ThrowsAsync<SwarmTeamTaskException>(() => team.WaitAsync(offered.TaskId, Patience));

        Assert.Equal("no worker completed the task after 3 attempts", error.Task.Error);
        Assert.Equal([1L, 2, 3], lead.SwarmNode!.Conversations.Get(offered.TaskId).Where(e => e.Kind == TeamEvents.Offer).Select(e => e.Payload["attempt"]!.AsInt64()));
    }

    [Fact]
    public async Task Heartbeat_progress_keeps_a_long_task_with_its_worker()
    {
        await using var lead = await SwarmHosts.StartAsync(new Listener(), "lead", null);
        await using var member = await SwarmHosts.StartAsync(new Listener(), "member", lead.Port);
        await PeersAsync(lead, 1);
        await using var team = new SwarmTeam(lead.SwarmNode!, new SwarmTeamOptions { Lease = TimeSpan.FromSeconds(1) });
        await using var worker = new SwarmWorker(member.SwarmNode!, async (task, cancellationToken) =>
        {
            await task.ProgressAsync("halfway", new Dictionary<string, MsgPackValue> { ["percent"] = 50 }, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken); // three leases
            return "finally";
        }, new SwarmWorkerOptions { RenewInterval = TimeSpan.FromMilliseconds(100) });

        var offered = await team.OfferAsync("slow");
        var done = await team.WaitAsync(offered.TaskId, Patience);

        Assert.Equal(("finally", 1), (done.Result?.AsString(), done.Attempt));
        var progress = lead.SwarmNode!.Conversations.Get(offered.TaskId).Where(e => e.Kind == TeamEvents.Progress).ToList();
        Assert.Equal($$"""{"task_id":"{{offered.TaskId}}","message":"halfway","percent":50}""", progress[0].Payload.ToJson());
        Assert.Contains(progress, e => e.Payload["heartbeat"]?.AsBoolean() == true);
    }

    [Fact]
    public async Task A_team_restarted_on_its_durable_log_restores_its_tasks_and_finishes_them()
    {
        string open, finished;
        using (var log = SqliteConversationLog.Open(_directory))
        {
            await using var lead = await SwarmHosts.StartAsync(new Listener(), "lead", null, o => o.ConversationLog = log);
            await using var member = await SwarmHosts.StartAsync(new Listener(), "member", lead.Port);
            await PeersAsync(lead, 1);
            await using var team = new SwarmTeam(lead.SwarmNode!);
            await using (var worker = new SwarmWorker(member.SwarmNode!, (_, _) => Task.FromResult<MsgPackValue>("first life"), new SwarmWorkerOptions { Capabilities = ["a"] }))
            {
                finished = (await team.OfferAsync("done before", requires: ["a"])).TaskId;
                await team.WaitAsync(finished, Patience);
            }

            open = (await team.OfferAsync("left open", requires: ["b"])).TaskId;
        }

        using var reopened = SqliteConversationLog.Open(_directory);
        await using var restarted = await SwarmHosts.StartAsync(new Listener(), "lead", null, o => o.ConversationLog = reopened);
        await using var restored = new SwarmTeam(restarted.SwarmNode!, new SwarmTeamOptions { Lease = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(2, restored.Restore());
        Assert.Equal(("first life", SwarmTeamTaskState.Done), (restored.Get(finished)!.Result?.AsString(), restored.Get(finished)!.State));
        Assert.Equal(SwarmTeamTaskState.Offered, restored.Get(open)!.State);
        await using var newcomer = await SwarmHosts.StartAsync(new Listener(), "newcomer", restarted.Port);
        await PeersAsync(restarted, 1);
        await using var second = new SwarmWorker(newcomer.SwarmNode!, (task, _) => Task.FromResult<MsgPackValue>($"second life, attempt {task.Attempt}"), new SwarmWorkerOptions { Capabilities = ["b"] });
        var done = await restored.WaitAsync(open, Patience); // offered again, now that the lease ran out

        Assert.Equal("newcomer", done.WorkerId);
        Assert.StartsWith("second life, attempt ", done.Result?.AsString(), StringComparison.Ordinal);
        Assert.True(done.Attempt >= 2);
    }

    [Fact]
    public async Task A_python_teams_task_is_done_by_a_synapse_worker()
    {
        await using var node = await SwarmHosts.StartAsync(new Listener(), "dotnet", null);
        await using var python = await PythonSwarmNode.StartAsync("lab", node.Port, 0.2, 10);
        await PeersAsync(node, 1);
        await using var worker = new SwarmWorker(node.SwarmNode!, (task, _) => Task.FromResult<MsgPackValue>(MsgPackValue.Map(("done_by", "dotnet"), ("title", task.Title))), new SwarmWorkerOptions { Capabilities = ["csharp"] });

        var taskId = (await python.CommandAsync("offer csharp port the parser")).GetProperty("task_id").GetString()!;
        var task = await Poll.UntilAsync(() => python.CommandAsync($"task {taskId}"), t => t.GetProperty("state").GetString() == "done", Patience);

        Assert.Equal("dotnet", task.GetProperty("worker").GetString());
        Assert.Equal(("dotnet", "port the parser"), (task.GetProperty("result").GetProperty("done_by").GetString(), task.GetProperty("result").GetProperty("title").GetString()));
    }

    [Fact]
    public async Task A_synapse_teams_task_is_done_by_a_python_worker()
    {
        await using var node = await SwarmHosts.StartAsync(new Listener(), "dotnet", null);
        await using var python = await PythonSwarmNode.StartAsync("lab", node.Port, 0.2, 10);
        await PeersAsync(node, 1);
        await python.CommandAsync("capabilities python,numpy");
        await using var team = new SwarmTeam(node.SwarmNode!);

        var offered = await team.OfferAsync("fit the model", requires: ["numpy"]);
        await python.CommandAsync("work quick"); // claims the pending offer
        var done = await team.WaitAsync(offered.TaskId, Patience);

        Assert.Equal(python.Id, done.WorkerId);
        Assert.Equal("""{"done_by":"python","title":"fit the model"}""", done.Result?.ToJson());
    }

    [Fact]
    public async Task A_task_whose_python_worker_was_killed_is_offered_again_and_done_by_another()
    {
        await using var node = await SwarmHosts.StartAsync(new Listener(), "dotnet", null);
        await using var python = await PythonSwarmNode.StartAsync("lab", node.Port, 0.2, 10);
        await PeersAsync(node, 1);
        await python.CommandAsync("capabilities gpu");
        await python.CommandAsync("work slow");
        await using var team = new SwarmTeam(node.SwarmNode!, new SwarmTeamOptions { Lease = TimeSpan.FromSeconds(2) });

        var offered = await team.OfferAsync("train", requires: ["gpu"]);
        await Poll.UntilAsync(() => Task.FromResult(team.Get(offered.TaskId)!), t => t.WorkerId == python.Id, Patience);
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // its heartbeats keep the task past a lease
        Assert.Equal((SwarmTeamTaskState.Granted, 1), (team.Get(offered.TaskId)!.State, team.Get(offered.TaskId)!.Attempt));
        await python.KillAsync();
        await using var rescuer = new SwarmWorker(node.SwarmNode!, (task, _) => Task.FromResult<MsgPackValue>($"rescued on attempt {task.Attempt}"), new SwarmWorkerOptions { Capabilities = ["gpu"] });
        var done = await team.WaitAsync(offered.TaskId, Patience);

        Assert.Equal(("dotnet", "rescued on attempt 2", 2), (done.WorkerId, done.Result?.AsString(), done.Attempt));
    }

    [Fact]
    public async Task A_worker_drives_team_tasks_through_the_long_running_task_api()
    {
        await using var lead = await SwarmHosts.StartAsync(new Listener(), "lead", null);
        var builder = new Synapse.Generated.Tests.Tasks.Builder();
        var workerHost = new AgentHost(builder, new AgentHostOptions
        {
            NodeId = "builder",
            Tasks = new AgentTaskOptions(),
            SwarmNode = new SwarmOptions { Swarm = "lab", HeartbeatInterval = TimeSpan.FromMilliseconds(200), Seeds = { $"127.0.0.1:{lead.Port}" } },
        });
        await workerHost.StartAsync();
        await using var _ = workerHost;
        await using var self = new SynapseClient("127.0.0.1", workerHost.Port);
        await PeersAsync(lead, 1);
        await using var team = new SwarmTeam(lead.SwarmNode!);
        await using var worker = new SwarmWorker(workerHost.SwarmNode!, SwarmTaskHandlers.RunAsTask(self, "build", TimeSpan.Zero), new SwarmWorkerOptions { Capabilities = ["builder"] });
        await using var failing = new SwarmWorker(workerHost.SwarmNode!, SwarmTaskHandlers.RunAsTask(self, "explode"), new SwarmWorkerOptions { Capabilities = ["boiler"] });

        var offered = await team.OfferAsync("build it", MsgPackValue.Map(("steps", 3)), ["builder"]);
        var done = await team.WaitAsync(offered.TaskId, Patience);
        var exploded = await team.OfferAsync("boil", requires: ["boiler"]);
        var error = await Assert.ThrowsAsync<SwarmTeamTaskException>(() => team.WaitAsync(exploded.TaskId, Patience));

        Assert.Equal("built in 3 steps", done.Result?.AsString());
        var progress = lead.SwarmNode!.Conversations.Get(offered.TaskId).Where(e => e.Kind == TeamEvents.Progress && e.Payload["heartbeat"] is null).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, e => Assert.NotNull(e.Payload["agent_task"]));
        Assert.Equal("explode failed: the boiler burst", error.Task.Error);
    }

    private static Task PeersAsync(AgentHost host, int count) =>
        Poll.UntilAsync(() => Task.FromResult(host.SwarmNode!.Membership.Peers.Count), n => n >= count, Patience);
}
