namespace Synapse.Tasks;

/// <summary>
/// Long-running tasks on a host (<c>AgentHostOptions.Tasks</c>): any endpoint of the agent, or its
/// <c>_agent.ask</c> handler, started with <c>_synapse.task.start</c> and followed by id (see <c>docs/tasks.md</c>).
/// </summary>
public sealed class AgentTaskOptions
{
    /// <summary>How long a finished task's state and result are kept. Default one hour.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many tasks may be unfinished at once; more are refused as busy. Default 256.</summary>
    public int MaxActiveTasks { get; set; } = 256;

    /// <summary>How many tasks are kept in all, finished or not; more are refused until older ones expire. Default 10,000.</summary>
    public int MaxRetainedTasks { get; set; } = 10_000;

    /// <summary>
    /// How many updates (state changes, progress reports, partial results) each task keeps for subscribers. One that
    /// falls further behind gets a snapshot of the task instead of what it missed. Default 256.
    /// </summary>
    public int MaxUpdatesKept { get; set; } = 256;

    /// <summary>
    /// How many bytes of progress reports and partial results each task keeps at most (encoded); older updates are
    /// dropped first, the newest is always kept. Default 1 MiB.
    /// </summary>
    public long MaxUpdateBytesKept { get; set; } = 1024 * 1024;

    /// <summary>How long a task waits for an answer once it asked for input; then it fails. Default one hour.</summary>
    public TimeSpan InputTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Whether only the caller that started a task may see, answer or cancel it: the agent id its secure link proved.
    /// Off by default: the task id (128 random bits) is what grants access, so any tool holding it can follow it.
    /// </summary>
    public bool OwnerOnly { get; set; }

    /// <summary>Where tasks are kept across restarts; <c>null</c> (the default) keeps them in memory only.</summary>
    public IAgentTaskStore? Store { get; set; }

    /// <summary>What a restarted host does with a stored task that had not finished. Default <see cref="AgentTaskRecovery.RunAgain"/>.</summary>
    public AgentTaskRecovery Recovery { get; set; } = AgentTaskRecovery.RunAgain;

    /// <summary>How many runs a task gets in all under <see cref="AgentTaskRecovery.RunAgain"/>. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit or duration is out of range, naming it.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Retention, TimeSpan.Zero, nameof(Retention));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(InputTimeout, TimeSpan.Zero, nameof(InputTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxActiveTasks, 1, nameof(MaxActiveTasks));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetainedTasks, MaxActiveTasks, nameof(MaxRetainedTasks));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUpdatesKept, 1, nameof(MaxUpdatesKept));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxUpdatesKept, 65_536, nameof(MaxUpdatesKept));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUpdateBytesKept, 1, nameof(MaxUpdateBytesKept));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
    }
}
