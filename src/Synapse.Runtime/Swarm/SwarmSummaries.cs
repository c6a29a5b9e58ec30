using Synapse.MessagePack;

namespace Synapse.Swarm;

/// <summary>Summarises the events a compaction folds into one <c>summary</c> event.</summary>
/// <param name="events">The events folded, oldest first; earlier summaries among them.</param>
/// <param name="cancellationToken">Cancelled when the node stops.</param>
/// <returns>The summary's text.</returns>
public delegate ValueTask<string> ConversationSummarizer(IReadOnlyList<SwarmConversationEvent> events, CancellationToken cancellationToken);

/// <summary>The summariser a node uses unless given one: synapse-p2p's digest of who said what, without an LLM.</summary>
public static class SwarmSummaries
{
    /// <summary>The kind of a compaction's event.</summary>
    public const string SummaryKind = "summary";

    private const int MaxPreview = 200;
    private const int MaxLines = 40;

    /// <summary>
    /// <c>(N kind, …)</c> (counts by kind, kinds in order), then one line per event, <c>name [kind]: payload</c> with the
    /// payload as Python's <c>json.dumps</c> cut at 200 characters, earlier summaries as their text, the last 40 lines:
    /// the text synapse-p2p's default summariser writes for the same events.
    /// </summary>
    public static ValueTask<string> DefaultAsync(IReadOnlyList<SwarmConversationEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var lines = new List<string>();
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var conversationEvent in events)
        {
            counts[conversationEvent.Kind] = counts.GetValueOrDefault(conversationEvent.Kind) + 1;
            if (conversationEvent.Kind == SummaryKind)
            {
                if (conversationEvent.Payload[SummaryKind] is { Type: MsgPackType.String } previous && previous.AsString().Length > 0)
                {
                    lines.Add(previous.AsString());
                }

                continue;
            }

            var preview = PythonJson.Dumps(conversationEvent.Payload);
            if (preview.Length > MaxPreview)
            {
                preview = preview[..MaxPreview] + "…";
            }

            var who = string.IsNullOrEmpty(conversationEvent.Peer.Name) ? conversationEvent.Peer.Id : conversationEvent.Peer.Name;
            lines.Add($"{who} [{conversationEvent.Kind}]: {preview}");
        }

        var header = string.Join(", ", counts.Select(count => $"{count.Value} {count.Key}"));
        return ValueTask.FromResult($"({header})\n" + string.Join("\n", lines.TakeLast(MaxLines)));
    }
}
