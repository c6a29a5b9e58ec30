namespace Synapse.Swarm;

/// <summary>
/// Retention, as synapse-p2p does it: with <see cref="SwarmOptions.ConversationRetention"/> set, events older than it
/// are pruned periodically and refused when they arrive.
/// </summary>
public sealed partial class SwarmNode
{
    private Task _pruneLoop = Task.CompletedTask;

    /// <summary>Raised after a pruning that removed events, with the events removed.</summary>
    public event EventHandler<IReadOnlyList<SwarmConversationEvent>>? ConversationsPruned;

    /// <summary>Prunes now: removes the events older than <see cref="SwarmOptions.ConversationRetention"/>.</summary>
    /// <returns>The events removed (none without retention).</returns>
    public IReadOnlyList<SwarmConversationEvent> PruneConversations()
    {
        if (Options.ConversationRetention is not { } retention)
        {
            return [];
        }

        var cutoff = Membership.Now - retention.TotalSeconds;
        Conversations.RefuseBefore = cutoff;
        var pruned = Conversations.Prune(cutoff);
        if (pruned.Count > 0)
        {
            Raise(ConversationsPruned, pruned, "conversation.pruned");
        }

        return pruned;
    }

    private async Task PruneAsync(TimeSpan retention, CancellationToken stopping)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(retention.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromMinutes(1).Ticks));
        using var timer = new PeriodicTimer(period);
        try
        {
            PruneConversations();
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                PruneConversations();
            }
        }
        catch (OperationCanceledException)
        {
            // The node stops.
        }
    }
}
