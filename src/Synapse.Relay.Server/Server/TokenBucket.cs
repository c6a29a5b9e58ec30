namespace Synapse.Relay.Server;

/// <summary>
/// A token bucket: <see cref="TryTake"/> succeeds while tokens remain; tokens refill continuously at a fixed rate up
/// to the burst capacity. Thread-safe (one bucket is shared by every connection of an identity).
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _perTick;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _refilledAt;

    /// <param name="perMinute">Sustained rate: tokens added per minute.</param>
    /// <param name="burst">The most tokens the bucket holds (and starts with).</param>
    /// <param name="time">The clock.</param>
    public TokenBucket(int perMinute, int burst, TimeProvider time)
    {
        _time = time;
        _perTick = perMinute / 60.0 / time.TimestampFrequency;
        _capacity = Math.Max(1, burst);
        _tokens = _capacity;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>The burst a relay allows for a per-minute limit: ten seconds' worth, and at least ten messages.</summary>
    public static int BurstFor(int perMinute) => Math.Max(10, perMinute / 6);

    /// <summary>Takes one token; false when the bucket is empty.</summary>
    public bool TryTake()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + ((now - _refilledAt) * _perTick));
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }

    /// <summary>How long until a token is there (zero when one is now); at least a millisecond when waiting.</summary>
    public TimeSpan UntilToken()
    {
        lock (_lock)
        {
            var tokens = Math.Min(_capacity, _tokens + ((_time.GetTimestamp() - _refilledAt) * _perTick));
            return tokens >= 1 ? TimeSpan.Zero
                : TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((1 - tokens) / _perTick / _time.TimestampFrequency * 1000)));
        }
    }

    /// <summary>Whether the bucket has refilled completely (its owner has been quiet long enough to be forgotten).</summary>
    public bool IsFull
    {
        get
        {
            lock (_lock)
            {
                return _tokens + ((_time.GetTimestamp() - _refilledAt) * _perTick) >= _capacity;
            }
        }
    }
}
