using System.Security.Cryptography;
using Synapse.MessagePack;

namespace Synapse.Swarm;

/// <summary>
/// Compaction, as synapse-p2p does it: a conversation's older events (all but its head <c>message</c> and the newest
/// <see cref="SwarmOptions.ConversationKeepRecent"/>) fold into one local <c>summary</c> event, on request or past
/// <see cref="SwarmOptions.CompactAfter"/> events.
/// </summary>
public sealed partial class SwarmNode
{
    private readonly HashSet<string> _compacting = new(StringComparer.Ordinal);

    /// <summary>Raised after a compaction, with the <c>summary</c> event that replaced the older events.</summary>
    public event EventHandler<SwarmConversationEvent>? ConversationCompacted;

    /// <summary>
    /// Folds the older events of <paramref name="conversationId"/> into one <c>summary</c> event:
    /// <c>{"summary": text, "compacted_events": n, "from": first created_at, "until": last created_at}</c>, its parent
    /// the head <c>message</c>, its time the newest folded event's. Local: peers keep their own copies.
    /// </summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="keepRecent">How many of the newest events stay as they are; <see cref="SwarmOptions.ConversationKeepRecent"/> when null.</param>
    /// <param name="cancellationToken">Cancels the summariser.</param>
    /// <returns>The summary event, or <c>null</c> when there was nothing to fold.</returns>
    public async Task<SwarmConversationEvent?> CompactConversationAsync(string conversationId, int? keepRecent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        var keep = keepRecent ?? Options.ConversationKeepRecent;
        ArgumentOutOfRangeException.ThrowIfNegative(keep, nameof(keepRecent));
        var events = Conversations.Get(conversationId);
        var head = events.Count > 0 && events[0].Kind == "message" ? events[0] : null;
        var compactable = events.Take(Math.Max(0, events.Count - keep)).Where(e => !ReferenceEquals(e, head)).ToList();
        if (compactable.Count == 0)
        {
            return null;
        }

        var text = await (Options.Summarizer ?? SwarmSummaries.DefaultAsync)(compactable, cancellationToken).ConfigureAwait(false);
        var summary = Signed(new SwarmConversationEvent(
            conversationId,
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            SwarmSummaries.SummaryKind,
            Self,
            MsgPackValue.Map(
            [
                (SwarmSummaries.SummaryKind, text),
                ("compacted_events", compactable.Count),
                ("from", compactable[0].CreatedAt),
                ("until", compactable[^1].CreatedAt),
            ]),
            head?.EventId,
            compactable[^1].CreatedAt, // the summary sorts where the events it replaces were
            SwarmConversationEvent.EmptyMap));
        if (!Conversations.Compact(conversationId, [.. compactable.Select(e => e.EventId)], summary))
        {
            return null;
        }

        Raise(ConversationCompacted, summary, "conversation.compacted");
        return summary;
    }

    /// <summary>Compacts a conversation that grew past <see cref="SwarmOptions.CompactAfter"/>, one compaction per conversation at a time.</summary>
    private void CompactIfLong(object? sender, SwarmConversationEvent stored)
    {
        if (Options.CompactAfter is not { } after || stored.Kind == SwarmSummaries.SummaryKind || Conversations.Count(stored.ConversationId) <= after)
        {
            return;
        }

        lock (_compacting)
        {
            if (!_compacting.Add(stored.ConversationId))
            {
                return;
            }
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await CompactConversationAsync(stored.ConversationId, cancellationToken: _stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SwarmLog.CompactionFailed(_logger, e, stored.ConversationId);
            }
            catch (OperationCanceledException)
            {
                // The node stops.
            }
            finally
            {
                lock (_compacting)
                {
                    _compacting.Remove(stored.ConversationId);
                }
            }
        });
    }
}
