namespace Synapse.Swarm;

/// <summary>A peer that came online or went offline.</summary>
/// <param name="peer">The peer.</param>
public sealed class SwarmPeerEventArgs(SwarmPeer peer) : EventArgs
{
    /// <summary>The peer.</summary>
    public SwarmPeer Peer { get; } = peer;
}

/// <summary>
/// A node's table of swarm peers: who is a member (same swarm and team, synapse-p2p §1.7), when each was last heard
/// from, and which have been silent too long. Thread-safe.
/// </summary>
public sealed class SwarmMembership
{
    private readonly Dictionary<string, SwarmPeer> _peers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    /// <summary>Creates an empty table for the node <paramref name="selfId"/>.</summary>
    /// <param name="selfId">The node's own id; a peer with this id is never added.</param>
    /// <param name="swarm">The node's swarm; <c>null</c> accepts every swarm.</param>
    /// <param name="team">The node's team; <c>null</c> accepts every team.</param>
    /// <param name="time">The clock; the system clock when <c>null</c>.</param>
    public SwarmMembership(string selfId, string? swarm, string? team, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(selfId);
        SelfId = selfId;
        Swarm = swarm;
        Team = team;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised (outside the table's lock) when a peer is added.</summary>
    public event EventHandler<SwarmPeerEventArgs>? PeerOnline;

    /// <summary>Raised (outside the table's lock) when a silent peer is reaped.</summary>
    public event EventHandler<SwarmPeerEventArgs>? PeerOffline;

    /// <summary>The node's own id.</summary>
    public string SelfId { get; }

    /// <summary>The node's swarm.</summary>
    public string? Swarm { get; }

    /// <summary>The node's team.</summary>
    public string? Team { get; }

    /// <summary>The known peers, each with its last-seen time.</summary>
    public IReadOnlyList<SwarmPeer> Peers
    {
        get
        {
            lock (_lock)
            {
                return [.. _peers.Values];
            }
        }
    }

    /// <summary>Seconds since the Unix epoch, as synapse-p2p's <c>time.time()</c>.</summary>
    public double Now => _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Why <paramref name="peer"/> is not a member, in synapse-p2p's words; <c>null</c> when it is.</summary>
    public string? MembershipError(SwarmPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (Swarm is not null && !string.Equals(peer.Swarm, Swarm, StringComparison.Ordinal))
        {
            return "peer requested a different swarm";
        }

        if (Team is not null && !string.Equals(peer.Team, Team, StringComparison.Ordinal))
        {
            return "peer requested a different team";
        }

        return null;
    }

    /// <summary>Adds or refreshes a member, setting its last-seen time to now.</summary>
    /// <returns>The stored peer; <c>null</c> when it is this node itself or not a member.</returns>
    public SwarmPeer? Touch(SwarmPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.Id == SelfId || MembershipError(peer) is not null)
        {
            return null;
        }

        bool added;
        var stored = peer with { LastSeen = Now };
        lock (_lock)
        {
            added = !_peers.ContainsKey(peer.Id);
            _peers[peer.Id] = stored;
        }

        if (added)
        {
            PeerOnline?.Invoke(this, new SwarmPeerEventArgs(stored));
        }

        return stored;
    }

    /// <summary>The peer with id <paramref name="id"/>, if known.</summary>
    public bool TryGet(string id, out SwarmPeer peer)
    {
        lock (_lock)
        {
            return _peers.TryGetValue(id, out peer!);
        }
    }

    /// <summary>Drops every peer silent for more than <paramref name="timeout"/>.</summary>
    /// <returns>The peers dropped.</returns>
    public IReadOnlyList<SwarmPeer> Reap(TimeSpan timeout)
    {
        var cutoff = Now - timeout.TotalSeconds;
        List<SwarmPeer> dropped;
        lock (_lock)
        {
            dropped = [.. _peers.Values.Where(p => p.LastSeen < cutoff)];
            foreach (var peer in dropped)
            {
                _peers.Remove(peer.Id);
            }
        }

        foreach (var peer in dropped)
        {
            PeerOffline?.Invoke(this, new SwarmPeerEventArgs(peer));
        }

        return dropped;
    }
}
