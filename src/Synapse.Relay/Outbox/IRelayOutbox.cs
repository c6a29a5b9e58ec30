namespace Synapse.Relay.Outbox;

/// <summary>A message waiting in an outbox: its id and its sealed envelope as encoded.</summary>
public readonly record struct OutboxEntry(Guid MessageId, ReadOnlyMemory<byte> Envelope);

/// <summary>
/// The messages an agent has sent and the relay has not yet acknowledged, kept in sending order so they can be sent
/// again after a reconnect.
/// </summary>
public interface IRelayOutbox : IDisposable
{
    /// <summary>Messages waiting.</summary>
    int Count { get; }

    /// <summary>Bytes waiting.</summary>
    long Bytes { get; }

    /// <summary>Keeps a message until <see cref="Remove"/>; a known id is ignored.</summary>
    /// <exception cref="OutboxFullException">The outbox is at its limits.</exception>
    void Add(Guid messageId, ReadOnlyMemory<byte> envelope);

    /// <summary>Forgets an acknowledged (or refused) message; false when it was not there.</summary>
    bool Remove(Guid messageId);

    /// <summary>Whether the message is still waiting.</summary>
    bool Contains(Guid messageId);

    /// <summary>The waiting message's envelope.</summary>
    bool TryGet(Guid messageId, out ReadOnlyMemory<byte> envelope);

    /// <summary>Every waiting message, oldest first (a snapshot).</summary>
    IReadOnlyList<OutboxEntry> Pending();
}

/// <summary>Remembers the ids of messages already handled so a retransmitted one is dropped.</summary>
public interface IInboxDeduplicator : IDisposable
{
    /// <summary>True the first time an id is seen; false for a duplicate.</summary>
    bool TryAccept(Guid messageId);
}

/// <summary>Bounds of an outbox.</summary>
/// <summary>
/// Where an agent keeps its relay state: the outbox and the record of handled message ids, opened together and closed
/// together. Without one, both live in memory; <c>SqliteRelayStore</c> (package Synapse.Storage.Sqlite) keeps them on disk.
/// </summary>
public interface IRelayStore : IDisposable
{
    /// <summary>Messages sent and not yet acknowledged.</summary>
    IRelayOutbox Outbox { get; }

    /// <summary>The ids of messages already handled.</summary>
    IInboxDeduplicator Inbox { get; }
}

/// <summary>Bounds of an outbox.</summary>
public sealed record OutboxLimits
{
    /// <summary>The most messages waiting.</summary>
    public int MaxMessages { get; init; } = 10_000;

    /// <summary>The most bytes waiting.</summary>
    public long MaxBytes { get; init; } = 64L << 20;
}

/// <summary>A message did not fit in the outbox: the relay is unreachable or slow, and the limits are reached.</summary>
public sealed class OutboxFullException(int count, long bytes, OutboxLimits limits)
    : Exception($"the outbox is full ({count} message(s), {bytes} bytes; limits {limits.MaxMessages} messages, {limits.MaxBytes} bytes): wait for acknowledgements before sending more")
{
}
