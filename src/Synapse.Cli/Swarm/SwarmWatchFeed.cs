using System.Threading.Channels;
using Synapse.Swarm;

namespace Synapse.Cli.Swarm;

/// <summary>What <c>synapse swarm watch</c> reports.</summary>
internal enum SwarmWatchEventKind
{
    /// <summary>A peer joined, or was known when the watch began.</summary>
    PeerOnline,

    /// <summary>A peer stayed silent past the peer timeout and was dropped.</summary>
    PeerOffline,

    /// <summary>A peer's heartbeat arrived.</summary>
    Heartbeat,

    /// <summary>A conversation event was stored: gossiped, or one of the tool's own.</summary>
    Conversation,
}

/// <summary>One change in the swarm, as the tool's member saw it.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Time">When it was seen, in seconds since the Unix epoch.</param>
/// <param name="Peer">The peer concerned (the event's author for <see cref="SwarmWatchEventKind.Conversation"/>).</param>
/// <param name="Event">The conversation event, for <see cref="SwarmWatchEventKind.Conversation"/>.</param>
internal sealed record SwarmWatchEvent(SwarmWatchEventKind Kind, double Time, SwarmPeer Peer, SwarmConversationEvent? Event = null);

/// <summary>
/// The swarm's changes as a queue: peers online and offline, heartbeats (when asked for) and conversation events,
/// starting with the peers already known. Holds the newest 10,000 unread; older ones are dropped.
/// </summary>
internal sealed class SwarmWatchFeed : IDisposable
{
    private readonly SwarmNode _node;
    private readonly bool _heartbeats;
    private readonly HashSet<string> _online = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Channel<SwarmWatchEvent> _events = Channel.CreateBounded<SwarmWatchEvent>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public SwarmWatchFeed(SwarmNode node, bool heartbeats)
    {
        _node = node;
        _heartbeats = heartbeats;
        node.Membership.PeerOnline += OnPeerOnline;
        node.Membership.PeerOffline += OnPeerOffline;
        node.PeerHeartbeat += OnHeartbeat;
        node.Conversations.EventStored += OnEventStored;
        // Peers that joined before the handlers were attached are reported once here.
        foreach (var peer in node.Membership.Peers)
        {
            OnPeerOnline(this, new SwarmPeerEventArgs(peer));
        }
    }

    /// <summary>The changes, oldest first.</summary>
    public ChannelReader<SwarmWatchEvent> Events => _events.Reader;

    public void Dispose()
    {
        _node.Membership.PeerOnline -= OnPeerOnline;
        _node.Membership.PeerOffline -= OnPeerOffline;
        _node.PeerHeartbeat -= OnHeartbeat;
        _node.Conversations.EventStored -= OnEventStored;
        _events.Writer.TryComplete();
    }

    private void OnPeerOnline(object? sender, SwarmPeerEventArgs e)
    {
        lock (_lock)
        {
            if (_online.Add(e.Peer.Id))
            {
                Write(new SwarmWatchEvent(SwarmWatchEventKind.PeerOnline, _node.Membership.Now, e.Peer));
            }
        }
    }

    private void OnPeerOffline(object? sender, SwarmPeerEventArgs e)
    {
        lock (_lock)
        {
            if (_online.Remove(e.Peer.Id))
            {
                Write(new SwarmWatchEvent(SwarmWatchEventKind.PeerOffline, _node.Membership.Now, e.Peer));
            }
        }
    }

    private void OnHeartbeat(object? sender, SwarmPeerEventArgs e)
    {
        if (_heartbeats)
        {
            Write(new SwarmWatchEvent(SwarmWatchEventKind.Heartbeat, _node.Membership.Now, e.Peer));
        }
    }

    private void OnEventStored(object? sender, SwarmConversationEvent stored) =>
        Write(new SwarmWatchEvent(SwarmWatchEventKind.Conversation, _node.Membership.Now, stored.Peer, stored));

    private void Write(SwarmWatchEvent change) => _events.Writer.TryWrite(change);
}
