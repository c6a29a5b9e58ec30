namespace Synapse.Swarm;

/// <summary>
/// A node's in-memory conversation log: events by conversation, deduplicated by event id, and broadcast replies
/// deduplicated by (nonce, replying peer). Thread-safe.
/// </summary>
public sealed class SwarmConversations
{
    private readonly Dictionary<string, List<SwarmConversationEvent>> _conversations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _eventIds = new(StringComparer.Ordinal);
    private readonly HashSet<(string Nonce, string PeerId)> _replies = [];
    private readonly Lock _lock = new();

    /// <summary>Raised (outside the lock) for every newly stored event.</summary>
    public event EventHandler<SwarmConversationEvent>? EventStored;

    /// <summary>The events of <paramref name="conversationId"/>, in arrival order.</summary>
    public IReadOnlyList<SwarmConversationEvent> Get(string conversationId)
    {
        lock (_lock)
        {
            return _conversations.TryGetValue(conversationId, out var events) ? [.. events] : [];
        }
    }

    /// <summary>Stores <paramref name="conversationEvent"/> unless its id was seen before.</summary>
    /// <returns>Whether it was new.</returns>
    public bool TryAdd(SwarmConversationEvent conversationEvent)
    {
        ArgumentNullException.ThrowIfNull(conversationEvent);
        lock (_lock)
        {
            if (!_eventIds.Add(conversationEvent.EventId))
            {
                return false;
            }

            if (!_conversations.TryGetValue(conversationEvent.ConversationId, out var events))
            {
                _conversations[conversationEvent.ConversationId] = events = [];
            }

            events.Add(conversationEvent);
        }

        EventStored?.Invoke(this, conversationEvent);
        return true;
    }

    /// <summary>Records that <paramref name="peerId"/> replied to <paramref name="nonce"/>.</summary>
    /// <returns>Whether this is its first reply.</returns>
    public bool TryAddReply(string nonce, string peerId)
    {
        lock (_lock)
        {
            return _replies.Add((nonce, peerId));
        }
    }
}
