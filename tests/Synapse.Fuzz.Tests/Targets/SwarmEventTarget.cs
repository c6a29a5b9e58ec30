using Synapse.Fuzz.Tests.Engine;
using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>
/// What a swarm peer sends: a Peer map (<c>_synapse.join</c>, <c>_synapse.heartbeat</c>), a broadcast envelope (the
/// <c>broadcast</c> keyword) and a conversation event (<c>_synapse.conversation.event</c>, the answers of
/// <c>_synapse.conversation.sync</c>), decoded by <see cref="SwarmPeer.FromMsgPack"/>,
/// <see cref="SwarmBroadcast.FromMsgPack"/> and <see cref="SwarmConversationEvent.FromMsgPack"/>; an event's signature
/// is checked (<see cref="SwarmEventSignatures.Verify"/>) and the event summarised as a compaction would
/// (<see cref="SwarmSummaries.DefaultAsync"/>). Bad input is a <see cref="MsgPackException"/> or a
/// <see cref="SwarmPeerFormatException"/>.
/// </summary>
public sealed class SwarmEventTarget : FuzzTarget
{
    private static readonly SwarmPeer Peer = new("node-1", "127.0.0.1", 9999) { Swarm = "lab", Team = "default", Name = "worker", Capabilities = ["review"], LastSeen = 1_760_000_000.5 };

    /// <inheritdoc />
    public override string Name => "swarm-event";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        yield return Peer.ToMsgPack().ToBytes();
        yield return SwarmConversationEvent.Create("conversation", "message", Peer, MsgPackValue.Map([("task", "review PR 1")]), null, 1_760_000_000.25).ToMsgPack().ToBytes();
        yield return SwarmConversationEvent.Create("conversation", "reply", Peer, MsgPackValue.Map([("result", MsgPackValue.FromArray([1, 2.5, "x"]))]), "conversation", 1_760_000_001).ToMsgPack().ToBytes();
        yield return new SwarmBroadcast("0193a5c2-7d2e-7000-8000-000000000001", Peer, "synapse.message").ToMsgPack().ToBytes();
        var signer = Synapse.Identity.AgentIdentity.FromSeed(new byte[32]);
        yield return SwarmEventSignatures.Sign(SwarmConversationEvent.Create("task", "task.done", Peer, MsgPackValue.Map([("task_id", "task"), ("result", "ok")]), null, 1_760_000_002), signer).ToMsgPack().ToBytes();
    }

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        var value = MsgPackValue.Parse(input);
        Decode(() => SwarmPeer.FromMsgPack(value));
        Decode(() => SwarmBroadcast.FromMsgPack(value));
        Decode(() => Summarize(SwarmConversationEvent.FromMsgPack(value)));
        Decode(() => SwarmEventSignatures.Verify(SwarmConversationEvent.FromMsgPack(value)));
    }

    /// <summary>A compaction's default summary of the event: its payload as Python's <c>json.dumps</c>; a key Python cannot write is an <see cref="ArgumentException"/>.</summary>
    private static void Summarize(SwarmConversationEvent conversationEvent)
    {
        try
        {
            _ = SwarmSummaries.DefaultAsync([conversationEvent]).Result;
        }
        catch (ArgumentException)
        {
            // Python raises TypeError for such a key too; the compaction is logged and skipped.
        }
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is MsgPackException or SwarmPeerFormatException;

    private static void Decode(Action decode)
    {
        try
        {
            decode();
        }
        catch (SwarmPeerFormatException)
        {
            // Refused, as documented: go on with the other reader.
        }
    }
}
