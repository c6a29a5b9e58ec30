namespace Synapse.Tasks;

/// <summary>What an <see cref="AgentTaskUpdate"/> tells.</summary>
public enum AgentTaskUpdateKind
{
    /// <summary>The task's state changed (<c>state</c>); a final one carries the result or the error.</summary>
    State,

    /// <summary>The task reported progress (<c>progress</c>): its endpoint's <c>IProgress&lt;T&gt;</c> parameter.</summary>
    Progress,

    /// <summary>A partial result (<c>item</c>): an item of a streaming endpoint.</summary>
    Item,

    /// <summary>
    /// The task as it stands (<c>snapshot</c>), sent instead of updates the host no longer keeps: to a subscriber that
    /// fell behind, or that follows a task from before the host restarted.
    /// </summary>
    Snapshot,
}
