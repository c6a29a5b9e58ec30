using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Synapse.MessagePack;
using Synapse.Swarm;
using Synapse.Tests.Rpc;

namespace Synapse.Tests.Swarm;

/// <summary>A C# node asking the swarm (<see cref="SwarmNode.AskAsync"/>) and collecting C# peers' acks, replies and failures.</summary>
public sealed class SwarmAskingTests
{
    internal static Task<TestHost> StartAskerAsync(Action<SwarmOptions>? configure = null) =>
        SwarmHostTests.StartNodeAsync("asker", heartbeat: 60, timeout: 120, configure: configure);

    /// <summary>A worker that joins <paramref name="asker"/>; a stalling one acknowledges asks but never replies.</summary>
    internal static async Task<TestHost> StartWorkerAsync(TestHost asker, string id, bool stall = false)
    {
        var worker = await SwarmHostTests.StartNodeAsync(id, $"127.0.0.1:{asker.Port}", heartbeat: 60, timeout: 120, withTaskHandler: true);
        worker.Agent.StallTasks = stall;
        await worker.Host.SwarmNode!.Joined.WaitAsync(TimeSpan.FromSeconds(10));
        return worker;
    }

    internal static SwarmNode NodeOf(TestHost host) => host.Host.SwarmNode!;

    /// <summary>A member of the swarm at a port nobody listens on.</summary>
    internal static SwarmPeer Unreachable(string id, params string[] capabilities)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new SwarmPeer(id, "127.0.0.1", port) { Swarm = "lab", Team = "default", Capabilities = capabilities };
    }

    private static SwarmAskOptions Within(double seconds) => new() { Timeout = TimeSpan.FromSeconds(seconds) };

    [Fact]
    public async Task A_peer_whose_own_ask_endpoint_answers_at_once_has_replied_with_that_answer()
    {
        await using var asker = await StartAskerAsync();
        await using var direct = await StartWorkerAsync(asker, "direct");
        direct.Agent.AnswersAsksDirectly = true;
        await using var deferring = await StartWorkerAsync(asker, "deferring");

        var result = await NodeOf(asker).AskAsync("review PR 9", Within(10));

        Assert.True(result.IsComplete);
        var answers = result.Answers.ToDictionary(a => a.Peer.Id);
        Assert.Equal((SwarmAskOutcome.Replied, false, "review PR 9"), (answers["direct"].Outcome, answers["direct"].Acknowledged, answers["direct"].Result?.AsString()));
        Assert.Equal((SwarmAskOutcome.Replied, true, "review PR 9"), (answers["deferring"].Outcome, answers["deferring"].Acknowledged, answers["deferring"].Result?.AsString()));
        Assert.DoesNotContain(NodeOf(asker).Conversations.Get(result.Nonce), e => e.Peer.Id == "direct"); // no ack, no broadcast reply: the call's answer was the reply
    }

    [Fact]
    public async Task A_csharp_asker_collects_the_ack_and_reply_of_every_csharp_peer()
    {
        await using var asker = await StartAskerAsync();
        await using var w1 = await StartWorkerAsync(asker, "w1");
        await using var w2 = await StartWorkerAsync(asker, "w2");
        var options = Within(10);
        options.Context = MsgPackValue.ParseJson("""{"url":"x"}""");

        var result = await NodeOf(asker).AskAsync("review PR 1", options);

        Assert.True(result.IsComplete);
        Assert.Equal(7, Guid.Parse(result.Nonce).Version);
        Assert.Equal(["w1", "w2"], result.Answers.Select(a => a.Peer.Id).Order(StringComparer.Ordinal));
        Assert.All(result.Answers, a => Assert.Equal((SwarmAskOutcome.Replied, true, "review PR 1", null), (a.Outcome, a.Acknowledged, a.Result?.AsString(), a.Error)));
        var log = NodeOf(asker).Conversations.Get(result.Nonce);
        Assert.Equal(("message", "asker", result.Nonce), (log[0].Kind, log[0].Peer.Id, log[0].EventId));
        Assert.Equal(["ack/w1", "ack/w2", "reply/w1", "reply/w2"], log.Skip(1).Select(e => $"{e.Kind}/{e.Peer.Id}").Order(StringComparer.Ordinal));
        var seenByWorker = NodeOf(w1).Conversations.Get(result.Nonce);
        Assert.Equal(("message", "asker"), (seenByWorker[0].Kind, seenByWorker[0].Peer.Id));
        Assert.Equal(["ack", "reply"], seenByWorker.Where(e => e.Peer.Id == "w1").Select(e => e.Kind));
    }

    [Fact]
    public async Task A_silent_peer_is_named_as_timed_out_and_the_others_replies_are_kept()
    {
        await using var asker = await StartAskerAsync();
        await using var replying = await StartWorkerAsync(asker, "replying");
        await using var silent = await StartWorkerAsync(asker, "silent", stall: true);
        var clock = Stopwatch.StartNew();

        var result = await NodeOf(asker).AskAsync("review PR 2", Within(1.5));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(10));
        Assert.False(result.IsComplete);
        Assert.Equal(["silent"], result.TimedOut.Select(p => p.Id));
        Assert.Equal(["replying"], result.Replies.Select(a => a.Peer.Id));
        Assert.Equal("review PR 2", result.Replies[0].Result!.AsString());
        var quiet = result.Answers.Single(a => a.Peer.Id == "silent");
        Assert.Equal((true, null, null), (quiet.Acknowledged, quiet.Result, quiet.Error));
    }

    [Fact]
    public async Task A_failing_task_and_an_unreachable_peer_end_the_ask_without_waiting_for_the_timeout()
    {
        await using var asker = await StartAskerAsync();
        await using var worker = await StartWorkerAsync(asker, "worker");
        NodeOf(asker).Membership.Touch(Unreachable("gone"));
        var clock = Stopwatch.StartNew();

        var result = await NodeOf(asker).AskAsync("explode", Within(30));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.True(result.IsComplete);
        var failed = result.Answers.Single(a => a.Peer.Id == "worker");
        Assert.Equal((SwarmAskOutcome.Failed, true, "task exploded"), (failed.Outcome, failed.Acknowledged, failed.Error));
        var gone = result.Answers.Single(a => a.Peer.Id == "gone");
        Assert.Equal((SwarmAskOutcome.Unreachable, false), (gone.Outcome, gone.Acknowledged));
        Assert.False(string.IsNullOrEmpty(gone.Error));
    }

    [Fact]
    public async Task A_reply_larger_than_MaxReplyBytes_is_a_failure_and_is_not_stored()
    {
        await using var asker = await StartAskerAsync(swarm => swarm.MaxReplyBytes = 100);
        await using var worker = await StartWorkerAsync(asker, "worker");

        var result = await NodeOf(asker).AskAsync(new string('x', 200), Within(10));

        var answer = Assert.Single(result.Answers);
        Assert.Equal((SwarmAskOutcome.Failed, null), (answer.Outcome, answer.Result));
        Assert.StartsWith("reply too large: ", answer.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(NodeOf(asker).Conversations.Get(result.Nonce), e => e.Kind == "reply");
    }

    [Fact]
    public async Task Required_capabilities_and_MaxPeers_choose_whom_to_ask()
    {
        await using var asker = await StartAskerAsync();
        await using var worker = await StartWorkerAsync(asker, "worker");
        NodeOf(asker).Membership.Touch(Unreachable("translator", "translate"));
        NodeOf(asker).Membership.Touch(Unreachable("reviewer", "code-review"));
        var reviewers = Within(10);
        reviewers.RequiredCapabilities.Add("code-review");
        var nobody = Within(10);
        nobody.RequiredCapabilities.Add("juggling");
        var one = Within(10);
        one.MaxPeers = 1;

        var byCapability = await NodeOf(asker).AskAsync("hi", reviewers);
        var none = await NodeOf(asker).AskAsync("hi", nobody);
        var limited = await NodeOf(asker).AskAsync("hi", one);

        Assert.Equal(["reviewer", "worker"], byCapability.Answers.Select(a => a.Peer.Id).Order(StringComparer.Ordinal));
        Assert.Equal(SwarmAskOutcome.Replied, byCapability.Answers.Single(a => a.Peer.Id == "worker").Outcome);
        Assert.Empty(none.Answers);
        Assert.True(none.IsComplete);
        Assert.Single(limited.Answers);
    }
}
