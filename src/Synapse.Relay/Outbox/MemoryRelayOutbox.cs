namespace Synapse.Relay.Outbox;

/// <summary>An outbox in memory: what it holds is lost with the process.</summary>
public sealed class MemoryRelayOutbox(OutboxLimits? limits = null) : IRelayOutbox
{
    private readonly OrderedDictionary<Guid, ReadOnlyMemory<byte>> _messages = new();
    private readonly OutboxLimits _limits = limits ?? new();
    private readonly Lock _lock = new();
    private long _bytes;

    /// <inheritdoc />
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _messages.Count;
            }
        }
    }

    /// <inheritdoc />
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <inheritdoc />
    public void Add(Guid messageId, ReadOnlyMemory<byte> envelope)
    {
        lock (_lock)
        {
            if (_messages.ContainsKey(messageId))
            {
                return;
            }

            if (_messages.Count >= _limits.MaxMessages || _bytes + envelope.Length > _limits.MaxBytes)
            {
                throw new OutboxFullException(_messages.Count, _bytes, _limits);
            }

            _messages.Add(messageId, envelope);
            _bytes += envelope.Length;
        }
    }

    /// <inheritdoc />
    public bool Remove(Guid messageId)
    {
        lock (_lock)
        {
            if (!_messages.Remove(messageId, out var envelope))
            {
                return false;
            }

            _bytes -= envelope.Length;
            return true;
        }
    }

    /// <inheritdoc />
    public bool Contains(Guid messageId)
    {
        lock (_lock)
        {
            return _messages.ContainsKey(messageId);
        }
    }

    /// <inheritdoc />
    public bool TryGet(Guid messageId, out ReadOnlyMemory<byte> envelope)
    {
        lock (_lock)
        {
            return _messages.TryGetValue(messageId, out envelope);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<OutboxEntry> Pending()
    {
        lock (_lock)
        {
            return [.. _messages.Select(pair => new OutboxEntry(pair.Key, pair.Value))];
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

/// <summary>Remembers the most recent <c>capacity</c> message ids in memory.</summary>
public sealed class MemoryInboxDeduplicator(int capacity = 100_000) : IInboxDeduplicator
{
    private readonly HashSet<Guid> _seen = [];
    private readonly Queue<Guid> _order = new();
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public bool TryAccept(Guid messageId)
    {
        lock (_lock)
        {
            if (!_seen.Add(messageId))
            {
                return false;
            }

            _order.Enqueue(messageId);
            if (_order.Count > capacity)
            {
                _seen.Remove(_order.Dequeue());
            }

            return true;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
