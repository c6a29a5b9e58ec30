namespace Synapse.Discovery.Lan;

/// <summary>
/// The peers a <see cref="LanDiscovery"/> remembers, each with the TTL of its records (RFC 6762 §10): a peer not
/// heard of again within its TTL is forgotten, as if it had said goodbye. At most <c>capacity</c> peers are kept.
/// Thread-safe.
/// </summary>
internal sealed class LanPeerTable(TimeProvider time, int capacity)
{
    /// <summary>The fractions of a TTL at which a querier asks again before the records expire (RFC 6762 §5.2).</summary>
    internal static readonly double[] RefreshPoints = [0.80, 0.85, 0.90, 0.95];

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>No entry expires before this timestamp, so a full table need not be scanned until then.</summary>
    private long _noExpiryBefore = long.MaxValue;

    /// <summary>The peers whose records have not expired; the expired ones are forgotten first.</summary>
    public IReadOnlyCollection<LanAnnouncement> Peers
    {
        get
        {
            lock (_lock)
            {
                ForgetExpiredLocked();
                return [.. _entries.Values.Select(e => e.Peer)];
            }
        }
    }

    /// <summary>
    /// Remembers <paramref name="heard"/> for its TTL from now, replacing what was remembered of it (a new TTL
    /// replaces the old one, longer or shorter). When the table is full of live peers, a new peer takes the place of
    /// the one heard from longest ago: real peers announce themselves again, so a flood of made-up ones does not keep
    /// them out for its TTL.
    /// </summary>
    /// <returns>Whether the peer is new or its announcement changed, so it should be reported.</returns>
    public bool Remember(LanHeard heard)
    {
        long now = time.GetTimestamp();
        var entry = new Entry(heard.Peer, now, heard.Ttl, Deadline(now, heard.Ttl), 0);
        lock (_lock)
        {
            bool isKnown = _entries.TryGetValue(heard.Peer.Id, out var known);
            if (!isKnown && _entries.Count >= capacity && ForgetExpiredLocked() == 0)
            {
                _entries.Remove(_entries.Values.MinBy(e => e.HeardAt)!.Peer.Id);
            }

            _entries[heard.Peer.Id] = entry;
            _noExpiryBefore = Math.Min(_noExpiryBefore, entry.ExpiresAt);
            return !isKnown || !SameAnnouncement(known!.Peer, heard.Peer);
        }
    }

    /// <summary>Forgets the peer <paramref name="id"/>: it said goodbye, or its records expired.</summary>
    /// <returns>Whether it was remembered.</returns>
    public bool Forget(string id)
    {
        lock (_lock)
        {
            return _entries.Remove(id);
        }
    }

    /// <summary>
    /// Whether a live peer has passed its next refresh point (80, 85, 90 or 95% of its TTL) since it was last
    /// heard of, so a query should go out now. Each point answers <c>true</c> once per peer; skipped points are not
    /// made up for, and hearing of the peer again starts over.
    /// </summary>
    public bool TakeRefreshDue()
    {
        bool due = false;
        lock (_lock)
        {
            ForgetExpiredLocked();
            foreach (var entry in _entries.Values.ToList())
            {
                int passed = PassedRefreshPoints(entry);
                if (passed > entry.Refreshes)
                {
                    _entries[entry.Peer.Id] = entry with { Refreshes = passed };
                    due = true;
                }
            }
        }

        return due;
    }

    /// <summary>Forgets the expired entries; cheap until the earliest deadline, so a flood cannot make it costly.</summary>
    private int ForgetExpiredLocked()
    {
        long now = time.GetTimestamp();
        if (now < _noExpiryBefore)
        {
            return 0;
        }

        var expired = _entries.Values.Where(e => now >= e.ExpiresAt).ToList();
        foreach (var entry in expired)
        {
            _entries.Remove(entry.Peer.Id);
        }

        _noExpiryBefore = _entries.Count == 0 ? long.MaxValue : _entries.Values.Min(e => e.ExpiresAt);
        return expired.Count;
    }

    /// <summary>The timestamp <paramref name="ttl"/> after <paramref name="now"/>, saturating rather than overflowing.</summary>
    private long Deadline(long now, TimeSpan ttl)
    {
        double ticks = ttl.TotalSeconds * time.TimestampFrequency;
        return ticks >= long.MaxValue - now ? long.MaxValue : now + (long)ticks;
    }

    private int PassedRefreshPoints(Entry entry)
    {
        var elapsed = time.GetElapsedTime(entry.HeardAt);
        return RefreshPoints.Count(point => elapsed >= entry.Ttl * point);
    }

    private static bool SameAnnouncement(LanAnnouncement a, LanAnnouncement b) =>
        a with { Capabilities = [] } == b with { Capabilities = [] } && a.Capabilities.SequenceEqual(b.Capabilities);

    /// <summary>
    /// A remembered peer: when it was last heard of (a <see cref="TimeProvider.GetTimestamp"/>), for how long, the
    /// timestamp it expires at, and how many refresh points were taken.
    /// </summary>
    private sealed record Entry(LanAnnouncement Peer, long HeardAt, TimeSpan Ttl, long ExpiresAt, int Refreshes);
}
