using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Swarm;
using static Synapse.Tests.Swarm.SwarmAskingTests;

namespace Synapse.Tests.Swarm;

/// <summary>What a C# asker refuses or bounds: strangers' replies, unknown nonces, too many pending asks; and cancellation.</summary>
public sealed class SwarmAskGuardTests
{
    /// <summary>Completes with the nonce of the next ask <paramref name="node"/> starts.</summary>
    private static Task<string> NextAskAsync(SwarmNode node)
    {
        var nonce = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Conversations.EventStored += (_, e) =>
        {
            if (e.Kind == "message" && e.Peer.Id == node.Membership.SelfId)
            {
                nonce.TrySetResult(e.ConversationId);
            }
        };
        return nonce.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Replies_and_events_from_peers_not_asked_are_ignored_and_a_relayed_reply_of_an_asked_peer_counts()
    {
        await using var asker = await StartAskerAsync();
        await using var worker = await StartWorkerAsync(asker, "worker", stall: true);
        await using var client = new SynapseClient("127.0.0.1", asker.Port, new SynapseClientOptions { Mode = ConnectionMode.PerCall, Security = LinkSecurity.Disabled });
        var stranger = new SwarmPeer("stranger", "127.0.0.1", 1) { Swarm = "lab", Team = "default" };
        var asked = NodeOf(worker).Self.ToMsgPack();
        var started = NextAskAsync(NodeOf(asker));
        var asking = NodeOf(asker).AskAsync("review PR 3", new SwarmAskOptions { Timeout = TimeSpan.FromSeconds(20) });
        var nonce = await started;

        var forgedReply = await client.CallAsync("_synapse.broadcast.reply", [nonce, stranger.ToMsgPack()], new Dictionary<string, MsgPackValue> { ["result"] = "forged" });
        var forgedError = SwarmConversationEvent.Create(nonce, "error", stranger, MsgPackValue.ParseJson("""{"task":"review PR 3","error":"forged"}"""), nonce, 1.0);
        var forgedAnswer = await client.CallAsync("_synapse.conversation.event", [forgedError.ToMsgPack()]);
        await client.CallAsync("_synapse.broadcast.reply", ["not-an-ask-of-mine", asked], new Dictionary<string, MsgPackValue> { ["result"] = 1 });
        Assert.False(asking.IsCompleted);
        await client.CallAsync("_synapse.broadcast.reply", [nonce, asked, "relayed"]); // the result may come third, as synapse-p2p allows
        var result = await asking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(MsgPackValue.ParseJson("""{"ok":true}"""), forgedReply);
        Assert.Equal(MsgPackValue.ParseJson("""{"ok":true,"stored":false}"""), forgedAnswer);
        var answer = Assert.Single(result.Answers);
        Assert.Equal(("worker", SwarmAskOutcome.Replied, "relayed"), (answer.Peer.Id, answer.Outcome, answer.Result!.AsString()));
        Assert.DoesNotContain(NodeOf(asker).Conversations.Get(nonce), e => e.Peer.Id == "stranger");
        Assert.False(NodeOf(asker).Membership.TryGet("stranger", out _));
        Assert.Equal(["reply"], NodeOf(asker).Conversations.Get("not-an-ask-of-mine").Select(e => e.Kind));
    }

    [Fact]
    public async Task A_cancelled_ask_throws_and_frees_its_place_among_the_MaxPendingAsks()
    {
        await using var asker = await StartAskerAsync(swarm => swarm.MaxPendingAsks = 1);
        await using var worker = await StartWorkerAsync(asker, "worker", stall: true);
        using var cancel = new CancellationTokenSource();
        var started = NextAskAsync(NodeOf(asker));
        var asking = NodeOf(asker).AskAsync("review PR 4", new SwarmAskOptions { Timeout = TimeSpan.FromMinutes(5) }, cancel.Token);
        var nonce = await started;
        await Eventually.HoldsAsync(() => NodeOf(asker).Conversations.Get(nonce).Any(e => e.Kind == "ack"), "the worker acknowledges");

        var full = await Assert.ThrowsAsync<InvalidOperationException>(() => NodeOf(asker).AskAsync("one too many"));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => asking.WaitAsync(TimeSpan.FromSeconds(10)));
        var after = await NodeOf(asker).AskAsync("after", new SwarmAskOptions { Timeout = TimeSpan.FromSeconds(0.5) });

        Assert.Contains("MaxPendingAsks", full.Message, StringComparison.Ordinal);
        Assert.Equal(["worker"], after.TimedOut.Select(p => p.Id));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => NodeOf(asker).AskAsync("x", new SwarmAskOptions { Timeout = TimeSpan.Zero }));
    }

    [Fact]
    public async Task A_pending_ask_ends_when_its_host_stops()
    {
        var asker = await StartAskerAsync();
        await using var worker = await StartWorkerAsync(asker, "worker", stall: true);
        var started = NextAskAsync(NodeOf(asker));
        var asking = NodeOf(asker).AskAsync("review PR 5", new SwarmAskOptions { Timeout = TimeSpan.FromMinutes(5) });
        await started;

        await asker.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => asking.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
