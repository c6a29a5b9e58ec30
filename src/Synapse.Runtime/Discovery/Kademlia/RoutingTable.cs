using Synapse.Identity;

namespace Synapse.Discovery.Kademlia;

/// <summary>What <see cref="RoutingTable.Observe"/> did with a peer.</summary>
public enum RoutingUpdate
{
    /// <summary>The peer was new and its bucket had room: it is now the bucket's most recently seen entry.</summary>
    Added,

    /// <summary>The peer was known: it moved to the most recently seen end of its bucket.</summary>
    Refreshed,

    /// <summary>
    /// The peer was new but its bucket holds <see cref="RoutingTable.BucketSize"/> peers: the table kept the old
    /// ones and ignored it. Check <see cref="RoutingTable.LeastRecentlySeen"/>; if that peer is gone,
    /// <see cref="RoutingTable.Remove"/> it and observe the new one again.
    /// </summary>
    BucketFull,

    /// <summary>The peer is the table's own id, which it never holds.</summary>
    Self,
}

/// <summary>
/// A Kademlia routing table: the peers an agent or relay knows, in k-buckets by the length of the prefix their id
/// shares with the <see cref="Owner"/>'s (bucket <c>i</c> holds peers whose ids agree with the owner's on exactly
/// the first <c>i</c> bits). Thread-safe.
/// </summary>
/// <remarks>
/// Each bucket is ordered from least to most recently seen. As in Kademlia, a full bucket keeps its old entries
/// and refuses a newcomer (<see cref="RoutingUpdate.BucketFull"/>): peers that have stayed up long are the likeliest
/// to stay up, and a flood of fresh ids cannot push them out. Evicting a dead peer is the caller's decision.
/// </remarks>
public sealed class RoutingTable
{
    /// <summary>The usual bucket size, Kademlia's <c>k</c>.</summary>
    public const int DefaultBucketSize = 20;

    private readonly LinkedList<AgentId>[] _buckets = new LinkedList<AgentId>[XorDistance.Bits];
    private readonly Lock _lock = new();
    private int _count;

    /// <summary>Creates an empty table.</summary>
    /// <param name="owner">The id distances are measured from.</param>
    /// <param name="bucketSize">The most peers a bucket holds (<c>k</c>).</param>
    /// <exception cref="ArgumentException">The owner is the default id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bucketSize"/> is not positive.</exception>
    public RoutingTable(AgentId owner, int bucketSize = DefaultBucketSize)
    {
        if (owner.IsDefault)
        {
            throw new ArgumentException("The owner id is empty.", nameof(owner));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketSize);
        Owner = owner;
        BucketSize = bucketSize;
        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new LinkedList<AgentId>();
        }
    }

    /// <summary>The table's own id.</summary>
    public AgentId Owner { get; }

    /// <summary>The most peers a bucket holds.</summary>
    public int BucketSize { get; }

    /// <summary>How many peers the table holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>The bucket a peer belongs in: the length of the prefix its id shares with the owner's.</summary>
    /// <param name="peer">The peer.</param>
    /// <returns>0 to 255.</returns>
    /// <exception cref="ArgumentException">The peer is the owner or the default id.</exception>
    public int BucketIndex(AgentId peer)
    {
        int index = XorDistance.Between(Owner, peer).CommonPrefixLength;
        return index < XorDistance.Bits ? index : throw new ArgumentException("The owner has no bucket of its own.", nameof(peer));
    }

    /// <summary>Records that <paramref name="peer"/> was seen (heard from, or answered).</summary>
    /// <param name="peer">The peer.</param>
    /// <returns>What the table did.</returns>
    public RoutingUpdate Observe(AgentId peer)
    {
        if (peer == Owner)
        {
            return RoutingUpdate.Self;
        }

        LinkedList<AgentId> bucket = _buckets[BucketIndex(peer)];
        lock (_lock)
        {
            LinkedListNode<AgentId>? node = bucket.Find(peer);
            if (node is not null)
            {
                bucket.Remove(node);
                bucket.AddLast(node);
                return RoutingUpdate.Refreshed;
            }

            if (bucket.Count >= BucketSize)
            {
                return RoutingUpdate.BucketFull;
            }

            bucket.AddLast(peer);
            _count++;
            return RoutingUpdate.Added;
        }
    }

    /// <summary>Forgets a peer.</summary>
    /// <param name="peer">The peer.</param>
    /// <returns>Whether the table held it.</returns>
    public bool Remove(AgentId peer)
    {
        if (peer == Owner || peer.IsDefault)
        {
            return false;
        }

        lock (_lock)
        {
            bool removed = _buckets[BucketIndex(peer)].Remove(peer);
            _count -= removed ? 1 : 0;
            return removed;
        }
    }

    /// <summary>Whether the table holds <paramref name="peer"/>.</summary>
    /// <param name="peer">The peer.</param>
    /// <returns>Whether it is in its bucket.</returns>
    public bool Contains(AgentId peer)
    {
        if (peer == Owner || peer.IsDefault)
        {
            return false;
        }

        lock (_lock)
        {
            return _buckets[BucketIndex(peer)].Contains(peer);
        }
    }

    /// <summary>The least recently seen peer of the bucket <paramref name="peer"/> belongs in: the one to check
    /// before making room, after a <see cref="RoutingUpdate.BucketFull"/>.</summary>
    /// <param name="peer">Any id of that bucket.</param>
    /// <returns>The oldest entry, or null when the bucket is empty.</returns>
    public AgentId? LeastRecentlySeen(AgentId peer)
    {
        LinkedList<AgentId> bucket = _buckets[BucketIndex(peer)];
        lock (_lock)
        {
            return bucket.First?.Value;
        }
    }

    /// <summary>The peers of one bucket, least recently seen first.</summary>
    /// <param name="index">The bucket, 0 to 255.</param>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<AgentId> Bucket(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, XorDistance.Bits);
        lock (_lock)
        {
            return [.. _buckets[index]];
        }
    }

    /// <summary>The <paramref name="count"/> known peers closest to <paramref name="target"/>, closest first.</summary>
    /// <param name="target">The id to measure from (any id, the owner's included).</param>
    /// <param name="count">How many at most.</param>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<AgentId> Closest(AgentId target, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        List<AgentId> all;
        lock (_lock)
        {
            all = new List<AgentId>(_count);
            foreach (LinkedList<AgentId> bucket in _buckets)
            {
                all.AddRange(bucket);
            }
        }

        all.Sort((a, b) => XorDistance.CompareDistance(target, a, b));
        return all.Count <= count ? all : all.GetRange(0, count);
    }
}
