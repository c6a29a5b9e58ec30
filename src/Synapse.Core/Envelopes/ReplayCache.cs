using System.Buffers.Binary;
using Synapse.Identity;

namespace Synapse.Envelopes;

/// <summary>The outcome of a replay check.</summary>
internal enum ReplayStatus
{
    /// <summary>Not seen: accepted (and recorded, for <see cref="ReplayCache.TryAdd"/>).</summary>
    Fresh,

    /// <summary>Seen before within the window.</summary>
    Seen,

    /// <summary>At or before the horizon: the cache can no longer tell whether it was seen.</summary>
    BeyondHorizon,
}

/// <summary>(sender key, message id): the identity of an envelope for replay detection.</summary>
internal readonly record struct ReplayKey(UInt128 SenderHigh, UInt128 SenderLow, Guid MessageId)
{
    public static ReplayKey Create(AgentId sender, Guid messageId) => new(
        BinaryPrimitives.ReadUInt128BigEndian(sender.PublicKey[..16]),
        BinaryPrimitives.ReadUInt128BigEndian(sender.PublicKey[16..]),
        messageId);
}

/// <summary>
/// A bounded set of the envelopes opened within the age window, keyed by (sender, message id) and ordered by
/// timestamp. Entries older than the window are dropped (the age check rejects those envelopes anyway). When
/// the cache is full, the oldest entry is evicted. Either way the cache remembers the newest timestamp it has
/// let go of, its <em>horizon</em>, and rejects anything stamped at or before it: an evicted id can never be
/// replayed, and under a flood the effective window shrinks instead of the cache failing open or refusing
/// everything. Thread-safe.
/// </summary>
internal sealed class ReplayCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ReplayKey, long> _seen = [];
    private readonly PriorityQueue<ReplayKey, long> _byTime = new();
    private readonly int _capacity;
    private long _horizon = long.MinValue;

    public ReplayCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>The newest timestamp (Unix ms) let go of; envelopes at or before it are refused.</summary>
    public long Horizon
    {
        get
        {
            lock (_gate)
            {
                return _horizon;
            }
        }
    }

    /// <summary>Checks without recording. <paramref name="cutoff"/>: entries stamped before it are dropped.</summary>
    public ReplayStatus Check(in ReplayKey key, long timestamp, long cutoff)
    {
        lock (_gate)
        {
            Purge(cutoff);
            return _seen.ContainsKey(key) ? ReplayStatus.Seen : timestamp <= _horizon ? ReplayStatus.BeyondHorizon : ReplayStatus.Fresh;
        }
    }

    /// <summary>Records the envelope unless it was seen or is beyond the horizon.</summary>
    public ReplayStatus TryAdd(in ReplayKey key, long timestamp, long cutoff)
    {
        lock (_gate)
        {
            Purge(cutoff);
            if (_seen.ContainsKey(key))
            {
                return ReplayStatus.Seen;
            }

            if (timestamp <= _horizon)
            {
                return ReplayStatus.BeyondHorizon;
            }

            if (_seen.Count >= _capacity)
            {
                _byTime.TryPeek(out _, out long oldest);
                if (timestamp <= oldest)
                {
                    // It would be the first to go: refuse it rather than evict a newer entry.
                    return ReplayStatus.BeyondHorizon;
                }

                Forget();
            }

            _seen.Add(key, timestamp);
            _byTime.Enqueue(key, timestamp);
            return ReplayStatus.Fresh;
        }
    }

    private void Purge(long cutoff)
    {
        while (_byTime.TryPeek(out _, out long timestamp) && timestamp < cutoff)
        {
            Forget();
        }
    }

    private void Forget()
    {
        ReplayKey key = _byTime.Dequeue();
        long timestamp = _seen[key];
        _seen.Remove(key);
        _horizon = Math.Max(_horizon, timestamp);
    }
}
