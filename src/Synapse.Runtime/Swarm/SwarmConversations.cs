namespace Synapse.Swarm;

/// <summary>
/// A node's in-memory conversation log: events by conversation, deduplicated by event id, and broadcast replies
/// deduplicated by (nonce, replying peer). Bounded: a conversation keeps its head (the first event) and its newest
/// events up to <see cref="SwarmOptions.MaxConversationEvents"/>; past <see cref="SwarmOptions.MaxConversations"/> the
/// conversation updated longest ago is forgotten; the ids of forgotten events are remembered (up to
/// <see cref="SwarmOptions.MaxRememberedEventIds"/>) so gossip cannot bring them back. With
/// <see cref="SwarmOptions.ConversationLog"/> set, the log starts from what it holds and every change is written to it
/// before it is made here. Thread-safe.
/// </summary>
public sealed class SwarmConversations
{
    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _eventIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _eventIdOrder = new();
    private readonly HashSet<(string Nonce, string PeerId)> _replies = [];
    private readonly Queue<(string Nonce, string PeerId)> _replyOrder = new();
    private readonly Lock _lock = new();
    private readonly int _maxEvents;
    private readonly int _maxConversations;
    private readonly int _maxRemembered;
    private readonly ISwarmConversationLog? _log;
    private long _clock;

    /// <summary>Events created before this time (seconds since the Unix epoch) are refused; set by retention.</summary>
    internal double RefuseBefore { get; set; } = double.NegativeInfinity;

    /// <summary>A log with the default bounds of <see cref="SwarmOptions"/>.</summary>
    public SwarmConversations()
        : this(new SwarmOptions())
    {
    }

    /// <summary>A log bounded as <paramref name="options"/> say.</summary>
    public SwarmConversations(SwarmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxEvents = options.MaxConversationEvents;
        _maxConversations = options.MaxConversations;
        _maxRemembered = options.MaxRememberedEventIds;
        _log = options.ConversationLog;
        if (_log is not null)
        {
            Restore(_log.Load());
        }
    }

    /// <summary>Raised (outside the lock) for every newly stored event.</summary>
    public event EventHandler<SwarmConversationEvent>? EventStored;

    /// <summary>The ids of the conversations kept, oldest first.</summary>
    public IReadOnlyList<string> ConversationIds
    {
        get
        {
            lock (_lock)
            {
                return [.. _conversations.Values.OrderBy(c => c.Created).Select(c => c.Id)];
            }
        }
    }

    /// <summary>The events of <paramref name="conversationId"/>, in arrival order.</summary>
    public IReadOnlyList<SwarmConversationEvent> Get(string conversationId)
    {
        lock (_lock)
        {
            return _conversations.TryGetValue(conversationId, out var conversation) ? [.. conversation.Events] : [];
        }
    }

    /// <summary>
    /// The events of <paramref name="conversationId"/> created after <paramref name="since"/> (seconds since the Unix
    /// epoch), oldest first, as <c>_synapse.conversation.sync</c> serves them.
    /// </summary>
    public IReadOnlyList<SwarmConversationEvent> Since(string conversationId, double since)
    {
        lock (_lock)
        {
            return _conversations.TryGetValue(conversationId, out var conversation)
                ? [.. conversation.Events.Where(e => e.CreatedAt > since).OrderBy(e => e.CreatedAt)]
                : [];
        }
    }

    /// <summary>Whether an event with id <paramref name="eventId"/> was stored (or is remembered as forgotten): <see cref="TryAdd"/> would refuse it.</summary>
    internal bool Knows(string eventId)
    {
        lock (_lock)
        {
            return _eventIds.Contains(eventId);
        }
    }

    /// <summary>Stores <paramref name="conversationEvent"/> unless its id was seen before.</summary>
    /// <returns>Whether it was new.</returns>
    /// <exception cref="Exception">The <see cref="SwarmOptions.ConversationLog"/> could not be written; nothing was stored.</exception>
    public bool TryAdd(SwarmConversationEvent conversationEvent)
    {
        ArgumentNullException.ThrowIfNull(conversationEvent);
        lock (_lock)
        {
            if (conversationEvent.CreatedAt < RefuseBefore || _eventIds.Contains(conversationEvent.EventId))
            {
                return false;
            }

            _conversations.TryGetValue(conversationEvent.ConversationId, out var conversation);
            var stalest = conversation is null && _conversations.Count >= _maxConversations ? _conversations.Values.MinBy(c => c.Touched) : null;
            var evicted = conversation is { } kept && kept.Events.Count >= _maxEvents ? kept.Events[1] : null; // the head (index 0) stays: it says what the conversation is about
            _log?.Apply(new SwarmConversationLogChange
            {
                Added = [conversationEvent],
                Removed = [.. stalest?.Events.Select(e => e.EventId) ?? [], .. evicted is null ? [] : new[] { evicted.EventId }],
                Forgotten = NextForgotten(),
            });

            Remember(_eventIds, _eventIdOrder, conversationEvent.EventId);
            if (stalest is not null)
            {
                _conversations.Remove(stalest.Id);
            }

            if (conversation is null)
            {
                _conversations[conversationEvent.ConversationId] = conversation = new Conversation(conversationEvent.ConversationId, ++_clock);
            }

            if (evicted is not null)
            {
                conversation.Events.RemoveAt(1);
            }

            conversation.Events.Add(conversationEvent);
            conversation.Touched = ++_clock;
        }

        EventStored?.Invoke(this, conversationEvent);
        return true;
    }

    /// <summary>
    /// Removes the events created before <paramref name="cutoff"/> (seconds since the Unix epoch), and the
    /// conversations left empty; their ids stay remembered.
    /// </summary>
    /// <returns>The events removed.</returns>
    public IReadOnlyList<SwarmConversationEvent> Prune(double cutoff)
    {
        var pruned = new List<SwarmConversationEvent>();
        lock (_lock)
        {
            var removed = _conversations.Values.SelectMany(c => c.Events).Where(e => e.CreatedAt < cutoff).Select(e => e.EventId).ToList();
            if (removed.Count > 0)
            {
                _log?.Apply(new SwarmConversationLogChange { Removed = removed });
            }

            foreach (var conversation in _conversations.Values.ToList())
            {
                pruned.AddRange(conversation.Events.Where(e => e.CreatedAt < cutoff));
                conversation.Events.RemoveAll(e => e.CreatedAt < cutoff);
                if (conversation.Events.Count == 0)
                {
                    _conversations.Remove(conversation.Id);
                }
            }
        }

        return pruned;
    }

    /// <summary>How many events <paramref name="conversationId"/> holds.</summary>
    public int Count(string conversationId)
    {
        lock (_lock)
        {
            return _conversations.TryGetValue(conversationId, out var conversation) ? conversation.Events.Count : 0;
        }
    }

    /// <summary>
    /// Replaces the events <paramref name="compacted"/> (by id) with <paramref name="summary"/>, where the first of them
    /// was; their ids stay remembered, so gossip cannot bring them back. Events that arrived meanwhile stay.
    /// </summary>
    /// <returns>Whether the conversation still had them.</returns>
    internal bool Compact(string conversationId, IReadOnlyCollection<string> compacted, SwarmConversationEvent summary)
    {
        lock (_lock)
        {
            if (!_conversations.TryGetValue(conversationId, out var conversation))
            {
                return false;
            }

            var ids = compacted.ToHashSet(StringComparer.Ordinal);
            var at = conversation.Events.FindIndex(e => ids.Contains(e.EventId));
            if (at < 0)
            {
                return false;
            }

            _log?.Apply(new SwarmConversationLogChange
            {
                Added = [summary],
                Compacted = [.. conversation.Events.Where(e => ids.Contains(e.EventId)).Select(e => e.EventId)],
                Forgotten = NextForgotten(),
            });

            conversation.Events.RemoveAll(e => ids.Contains(e.EventId));
            conversation.Events.Insert(Math.Min(at, conversation.Events.Count), summary);
            Remember(_eventIds, _eventIdOrder, summary.EventId);
            return true;
        }
    }

    /// <summary>Records that <paramref name="peerId"/> replied to <paramref name="nonce"/>.</summary>
    /// <returns>Whether this is its first reply.</returns>
    public bool TryAddReply(string nonce, string peerId)
    {
        lock (_lock)
        {
            return Remember(_replies, _replyOrder, (nonce, peerId));
        }
    }

    /// <summary>The event id that remembering one more would forget, if any.</summary>
    private string[] NextForgotten() => _eventIdOrder.Count >= _maxRemembered ? [_eventIdOrder.Peek()] : [];

    /// <summary>
    /// Rebuilds the log from what <see cref="ISwarmConversationLog"/> kept, within this log's bounds (which may be
    /// smaller than when it was written: what no longer fits is removed from it too); replies are counted again.
    /// </summary>
    private void Restore(SwarmConversationLogContents contents)
    {
        foreach (var id in contents.CompactedIds)
        {
            Remember(_eventIds, _eventIdOrder, id);
        }

        foreach (var stored in contents.Events)
        {
            if (!Remember(_eventIds, _eventIdOrder, stored.EventId))
            {
                continue;
            }

            if (!_conversations.TryGetValue(stored.ConversationId, out var conversation))
            {
                if (_conversations.Count >= _maxConversations)
                {
                    _conversations.Remove(_conversations.Values.MinBy(c => c.Touched)!.Id);
                }

                _conversations[stored.ConversationId] = conversation = new Conversation(stored.ConversationId, ++_clock);
            }

            conversation.Events.Add(stored);
            conversation.Touched = ++_clock;
            if (conversation.Events.Count > _maxEvents)
            {
                conversation.Events.RemoveAt(1);
            }

            if (stored.Kind == "reply")
            {
                Remember(_replies, _replyOrder, (stored.ConversationId, stored.Peer.Id));
            }
        }

        var kept = _conversations.Values.SelectMany(c => c.Events).Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        var cleanup = new SwarmConversationLogChange
        {
            Removed = [.. contents.Events.Select(e => e.EventId).Where(id => !kept.Contains(id)).Distinct(StringComparer.Ordinal)],
            Forgotten = [.. contents.CompactedIds.Where(id => !_eventIds.Contains(id))],
        };
        if (!cleanup.IsEmpty)
        {
            _log!.Apply(cleanup);
        }
    }

    /// <summary>Adds <paramref name="item"/> to a bounded set, forgetting the oldest past the bound; false when it was there.</summary>
    private bool Remember<T>(HashSet<T> set, Queue<T> order, T item)
    {
        if (!set.Add(item))
        {
            return false;
        }

        order.Enqueue(item);
        if (order.Count > _maxRemembered)
        {
            set.Remove(order.Dequeue());
        }

        return true;
    }

    private sealed class Conversation(string id, long created)
    {
        public string Id { get; } = id;

        public long Created { get; } = created;

        public long Touched { get; set; } = created;

        public List<SwarmConversationEvent> Events { get; } = [];
    }
}
