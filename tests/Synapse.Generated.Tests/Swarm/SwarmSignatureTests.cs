using Synapse.Client;
using Synapse.Hosting;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Swarm;
using Synapse.Swarm.Teams;

namespace Synapse.Generated.Tests.Swarm;

/// <summary>
/// Signed events: a Synapse node signs what it emits, refuses what does not verify, binds each peer id to one signer,
/// and, when it requires signatures, refuses unsigned events, so a member cannot forge another's <c>task.done</c>.
/// Python nodes keep the signature as they gossip and sync.
/// </summary>
public sealed class SwarmSignatureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Emitted_events_are_signed_by_the_hosts_identity_and_a_tampered_one_is_refused()
    {
        await using var a = await SwarmHosts.StartAsync(new Listener(), "a", null);
        await using var b = await SwarmHosts.StartAsync(new Listener(), "b", null);
        await using var client = new SynapseClient("127.0.0.1", b.Port);

        var emitted = await a.SwarmNode!.EmitAsync("c", "note", MsgPackValue.Map(("text", "original")));
        var tampered = emitted with { Payload = MsgPackValue.Map(("text", "changed")) };
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("_synapse.conversation.event", [tampered.ToMsgPack()]));
        var accepted = await client.CallAsync("_synapse.conversation.event", [emitted.ToMsgPack()]);

        Assert.Equal(a.Identity.Id, SwarmEventSignatures.Verify(emitted));
        Assert.Equal(a.Identity.Id.ToString(), emitted.Metadata[SwarmEventSignatures.MetadataKey]!["signer"]!.AsString());
        Assert.Equal((RpcErrorCodes.BadRequest, $"event {emitted.EventId} does not carry a valid signature of {a.Identity.Id} (BadSignature)"), (refused.Code, refused.Message));
        Assert.True(accepted["stored"]!.AsBoolean());
    }

    [Fact]
    public async Task A_known_event_is_answered_as_a_duplicate_before_its_signature_is_checked_and_is_not_replaced()
    {
        await using var a = await SwarmHosts.StartAsync(new Listener(), "a", null);
        await using var b = await SwarmHosts.StartAsync(new Listener(), "b", null);
        await using var client = new SynapseClient("127.0.0.1", b.Port);

        var emitted = await a.SwarmNode!.EmitAsync("c", "note", MsgPackValue.Map(("text", "original")));
        var accepted = await client.CallAsync("_synapse.conversation.event", [emitted.ToMsgPack()]);
        var tampered = emitted with { Payload = MsgPackValue.Map(("text", "changed")) };
        var again = await client.CallAsync("_synapse.conversation.event", [tampered.ToMsgPack()]);

        Assert.True(accepted["stored"]!.AsBoolean());
        Assert.Equal(MsgPackValue.ParseJson("""{"ok":true,"stored":false}"""), again);
        Assert.Equal("original", Assert.Single(b.SwarmNode!.Conversations.Get("c")).Payload["text"]!.AsString());
    }

    [Fact]
    public async Task A_peer_id_stays_bound_to_its_first_signer_or_the_pinned_one()
    {
        var pinned = AgentIdentity.Generate();
        await using var node = await SwarmHosts.StartAsync(new Listener(), "node", null, o => o.PeerKeys["p"] = pinned.Id.ToString());
        await using var client = new SynapseClient("127.0.0.1", node.Port);
        var (first, second) = (AgentIdentity.Generate(), AgentIdentity.Generate());

        await Send(client, Event("w", "one"), first);
        var impostor = await Assert.ThrowsAsync<RpcException>(() => Send(client, Event("w", "two"), second));
        var unpinned = await Assert.ThrowsAsync<RpcException>(() => Send(client, Event("p", "three"), first));
        await Send(client, Event("p", "four"), pinned);

        Assert.EndsWith($"is signed by {second.Id}, not by {first.Id}, the key of that peer", impostor.Message, StringComparison.Ordinal);
        Assert.EndsWith($"is signed by {first.Id}, not by {pinned.Id}, the key of that peer", unpinned.Message, StringComparison.Ordinal);
        Assert.Equal(["one", "four"], node.SwarmNode!.Conversations.Get("c").Select(e => e.Payload["text"]!.AsString()));
    }

    [Fact]
    public async Task Without_required_signatures_a_member_can_forge_a_workers_result_and_with_them_it_cannot()
    {
        foreach (var require in new[] { false, true })
        {
            await using var lead = await SwarmHosts.StartAsync(new Listener(), "lead", null, o => o.RequireSignedEvents = require);
            await using var worker = await SwarmHosts.StartAsync(new Listener(), "able", lead.Port);
            await Poll.UntilAsync(() => Task.FromResult(lead.SwarmNode!.Membership.Peers.Count), n => n == 1, Patience);
            await using var team = new SwarmTeam(lead.SwarmNode!);
            var release = new TaskCompletionSource();
            await using var working = new SwarmWorker(worker.SwarmNode!, async (_, ct) => { await release.Task.WaitAsync(ct); return "genuine"; });
            var offered = await team.OfferAsync("audit");
            await Poll.UntilAsync(() => Task.FromResult(team.Get(offered.TaskId)!), t => t.WorkerId == "able", Patience);
            await using var client = new SynapseClient("127.0.0.1", lead.Port);
            var ableAsSeen = lead.SwarmNode!.Membership.Peers.Single(p => p.Id == "able");
            var forged = SwarmConversationEvent.Create(offered.TaskId, TeamEvents.Done, ableAsSeen, MsgPackValue.Map(("task_id", offered.TaskId), ("result", "forged")), null, lead.SwarmNode!.Membership.Now);

            var unsigned = await Record(() => client.CallAsync("_synapse.conversation.event", [forged.ToMsgPack()]));
            var signedByMallory = await Record(() => client.CallAsync("_synapse.conversation.event", [SwarmEventSignatures.Sign(forged with { EventId = forged.EventId + "2" }, AgentIdentity.Generate()).ToMsgPack()]));
            release.SetResult();
            var done = await Poll.UntilAsync(() => Task.FromResult(team.Get(offered.TaskId)!), t => t.IsFinished, Patience);

            Assert.IsType<RpcException>(signedByMallory); // "able" signed its claim: its key is known
            if (require)
            {
                Assert.Equal($"event {forged.EventId} is not signed, and this node requires signed events", Assert.IsType<RpcException>(unsigned).Message);
                Assert.Equal("genuine", done.Result?.AsString());
            }
            else
            {
                Assert.Null(unsigned); // the spoofing synapse-p2p documents
                Assert.Equal("forged", done.Result?.AsString());
            }
        }
    }

    [Fact]
    public async Task A_python_node_keeps_the_signature_so_a_synced_event_still_verifies()
    {
        await using var origin = await SwarmHosts.StartAsync(new Listener(), "origin", null);
        await using var python = await PythonSwarmNode.StartAsync("lab", origin.Port, 0.2, 10);
        await Poll.UntilAsync(() => Task.FromResult(origin.SwarmNode!.Membership.Peers.Count), n => n == 1, Patience);
        var signed = await origin.SwarmNode!.EmitAsync("chat", "note", MsgPackValue.Map(("text", "signed")));
        await python.CommandAsync("say chat unsigned words");
        await using var strict = await SwarmHosts.StartAsync(new Listener(), "strict", null, o => o.RequireSignedEvents = true);

        var synced = await strict.SwarmNode!.SyncConversationAsync(new SwarmPeer(python.Id, "127.0.0.1", python.Port) { Swarm = "lab", Team = "default" }, "chat");

        Assert.Equal([signed.EventId], synced.Select(e => e.EventId));
        Assert.Equal(origin.Identity.Id, SwarmEventSignatures.Verify(strict.SwarmNode!.Conversations.Get("chat").Single()));
    }

    [Fact]
    public async Task A_nodes_own_broadcasts_replies_and_summaries_are_signed_so_a_strict_node_syncs_them()
    {
        await using var origin = await SwarmHosts.StartAsync(new Listener(), "origin", null, o => o.ConversationKeepRecent = 1);
        await using var listener = await SwarmHosts.StartAsync(new Listener(), "listener", origin.Port);
        await Poll.UntilAsync(() => Task.FromResult(origin.SwarmNode!.Membership.Peers.Count), n => n == 1, Patience);
        var node = origin.SwarmNode!;
        var broadcast = await node.BroadcastAsync("synapse.message", ["hello"]);
        await Poll.UntilAsync(() => Task.FromResult(node.Replies(broadcast).Count), n => n == 1, Patience);
        await using var strict = await SwarmHosts.StartAsync(new Listener(), "strict", null, o => o.RequireSignedEvents = true);
        SwarmPeer Peer(string id, AgentHost host) => new(id, "127.0.0.1", host.Port) { Swarm = "lab", Team = "default" };

        var fromOrigin = await strict.SwarmNode!.SyncConversationAsync(Peer("origin", origin), broadcast.Nonce);
        var fromListener = await strict.SwarmNode!.SyncConversationAsync(Peer("listener", listener), broadcast.Nonce);
        foreach (var text in new[] { "one", "two", "three" })
        {
            await node.EmitAsync("notes", "note", MsgPackValue.Map(("text", text)));
        }

        var summary = await node.CompactConversationAsync("notes");

        // Each node's copy of what another said (the message as heard, a reply as received) is unsigned and skipped.
        Assert.Equal(("message", origin.Identity.Id), (Assert.Single(fromOrigin).Kind, SwarmEventSignatures.Verify(fromOrigin[0])));
        Assert.Equal(("reply", listener.Identity.Id), (Assert.Single(fromListener).Kind, SwarmEventSignatures.Verify(fromListener[0])));
        Assert.Equal(origin.Identity.Id, SwarmEventSignatures.Verify(summary!));
    }

    private static SwarmConversationEvent Event(string peerId, string text) =>
        SwarmConversationEvent.Create("c", "note", new SwarmPeer(peerId, "127.0.0.1", 1) { Swarm = "lab", Team = "default" }, MsgPackValue.Map(("text", text)), null, 1_000);

    private static Task<MsgPackValue> Send(SynapseClient client, SwarmConversationEvent conversationEvent, AgentIdentity signer) =>
        client.CallAsync("_synapse.conversation.event", [SwarmEventSignatures.Sign(conversationEvent, signer).ToMsgPack()]);

    private static async Task<Exception?> Record(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
