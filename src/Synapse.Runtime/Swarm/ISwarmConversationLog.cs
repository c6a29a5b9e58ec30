namespace Synapse.Swarm;

/// <summary>
/// Where a swarm node keeps its conversation log so that it survives a restart (<c>SqliteConversationLog</c> in
/// Synapse.Storage.Sqlite); set it as <see cref="SwarmOptions.ConversationLog"/>. The node reads it once when it
/// starts and applies every change to it before the change is visible, so an event a peer was told is stored is on
/// disk. An implementation is thread-safe and applies each change atomically.
/// </summary>
public interface ISwarmConversationLog
{
    /// <summary>Everything kept: the events, oldest first, and the ids of events folded into summaries.</summary>
    SwarmConversationLogContents Load();

    /// <summary>Applies one change, all of it or nothing.</summary>
    void Apply(SwarmConversationLogChange change);
}

/// <summary>What an <see cref="ISwarmConversationLog"/> holds.</summary>
/// <param name="Events">The events kept, oldest first.</param>
/// <param name="CompactedIds">The ids of events folded into a summary, remembered so gossip cannot bring them back.</param>
public sealed record SwarmConversationLogContents(IReadOnlyList<SwarmConversationEvent> Events, IReadOnlyList<string> CompactedIds);

/// <summary>One change to an <see cref="ISwarmConversationLog"/>.</summary>
public sealed record SwarmConversationLogChange
{
    /// <summary>Events to add.</summary>
    public IReadOnlyList<SwarmConversationEvent> Added { get; init; } = [];

    /// <summary>Events to delete: evicted by the log's bounds, or pruned by retention.</summary>
    public IReadOnlyList<string> Removed { get; init; } = [];

    /// <summary>Events folded into a summary: their content goes, their ids stay (see <see cref="SwarmConversationLogContents.CompactedIds"/>).</summary>
    public IReadOnlyList<string> Compacted { get; init; } = [];

    /// <summary>Ids the node no longer remembers: those of compacted events are deleted; live events stay.</summary>
    public IReadOnlyList<string> Forgotten { get; init; } = [];

    /// <summary>Whether the change changes nothing.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Compacted.Count == 0 && Forgotten.Count == 0;
}
