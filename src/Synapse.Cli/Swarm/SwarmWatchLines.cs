using Synapse.MessagePack;

namespace Synapse.Cli.Swarm;

/// <summary>
/// <c>synapse swarm watch</c> for scripts and logs: one line per change, as text for people or as JSON
/// (<c>--json</c>), flushed as it happens.
/// </summary>
internal static class SwarmWatchLines
{
    /// <summary>The first line: the swarm and team joined, through which seed, and the tool's own id.</summary>
    public static string Joined(SwarmMember member, bool json) => json
        ? MsgPackValue.Map(
            ("event", "joined"),
            ("swarm", member.Swarm),
            ("team", member.Team),
            ("seed", member.Settings.Seed.ToString()),
            ("self", SwarmFormat.PeerJson(member.Node.Self))).ToJson()
        : $"joined swarm {SwarmMember.Quoted(member.Swarm)}, team {SwarmMember.Quoted(member.Team)} through {member.Settings.Seed} as {SwarmFormat.Peer(member.Node.Self)}";

    /// <summary>One change as a line.</summary>
    public static string Line(SwarmWatchEvent change, bool json) => json ? Json(change).ToJson() : Text(change);

    private static string Text(SwarmWatchEvent change)
    {
        var time = SwarmFormat.Clock(change.Time);
        var peer = SwarmFormat.Peer(change.Peer);
        return change switch
        {
            { Kind: SwarmWatchEventKind.PeerOnline } => $"{time} peer online   {peer} at {change.Peer.Address}:{change.Peer.Port}",
            { Kind: SwarmWatchEventKind.PeerOffline } => $"{time} peer offline  {peer}",
            { Kind: SwarmWatchEventKind.Heartbeat } => $"{time} heartbeat     {peer}",
            { Event: { } stored } => $"{time} conversation {SwarmFormat.ShortId(stored.ConversationId)} {stored.Kind} from {peer}: {stored.Payload.ToJson()}",
            _ => $"{time} {change.Kind} {peer}",
        };
    }

    private static MsgPackValue Json(SwarmWatchEvent change)
    {
        var name = change.Kind switch
        {
            SwarmWatchEventKind.PeerOnline => "peer.online",
            SwarmWatchEventKind.PeerOffline => "peer.offline",
            SwarmWatchEventKind.Heartbeat => "peer.heartbeat",
            _ => "conversation",
        };
        return change.Event is { } stored
            ? MsgPackValue.Map(
                ("event", name),
                ("time", change.Time),
                ("conversation", stored.ConversationId),
                ("kind", stored.Kind),
                ("event_id", stored.EventId),
                ("peer", SwarmFormat.PeerJson(stored.Peer)),
                ("payload", stored.Payload))
            : MsgPackValue.Map(("event", name), ("time", change.Time), ("peer", SwarmFormat.PeerJson(change.Peer)));
    }
}
