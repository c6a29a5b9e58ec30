using Synapse.Tasks;

namespace Synapse.Hosting;

/// <summary>
/// An agent's long-running tasks as configuration holds them (section <c>Synapse:Agents:{name}:Tasks</c>): present, it
/// serves the <c>_synapse.task.*</c> built-ins. Unset values keep <see cref="AgentTaskOptions"/>' defaults. A store is
/// a service: register an <see cref="IAgentTaskStore"/> keyed by the agent's name (for example a
/// <c>SqliteTaskStore</c>) and the agent keeps its tasks there.
/// </summary>
public sealed class TaskSettings
{
    /// <summary>How long a finished task's state and result are kept.</summary>
    public TimeSpan? Retention { get; set; }

    /// <summary>How many tasks may be unfinished at once.</summary>
    public int? MaxActiveTasks { get; set; }

    /// <summary>How many tasks are kept in all.</summary>
    public int? MaxRetainedTasks { get; set; }

    /// <summary>How many updates each task keeps for its subscribers.</summary>
    public int? MaxUpdatesKept { get; set; }

    /// <summary>How many bytes of progress reports and partial results each task keeps.</summary>
    public long? MaxUpdateBytesKept { get; set; }

    /// <summary>How long a task waits for an answer to its question.</summary>
    public TimeSpan? InputTimeout { get; set; }

    /// <summary>Whether only the caller that started a task may see, answer or cancel it.</summary>
    public bool? OwnerOnly { get; set; }

    /// <summary>What a restarted agent does with a stored task that had not finished: <c>RunAgain</c> or <c>Fail</c>.</summary>
    public AgentTaskRecovery? Recovery { get; set; }

    /// <summary>How many runs a task gets in all when it runs again after restarts.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>The task options these settings describe.</summary>
    internal AgentTaskOptions ToOptions()
    {
        var options = new AgentTaskOptions();
        options.Retention = Retention ?? options.Retention;
        options.MaxActiveTasks = MaxActiveTasks ?? options.MaxActiveTasks;
        options.MaxRetainedTasks = MaxRetainedTasks ?? options.MaxRetainedTasks;
        options.MaxUpdatesKept = MaxUpdatesKept ?? options.MaxUpdatesKept;
        options.MaxUpdateBytesKept = MaxUpdateBytesKept ?? options.MaxUpdateBytesKept;
        options.InputTimeout = InputTimeout ?? options.InputTimeout;
        options.OwnerOnly = OwnerOnly ?? options.OwnerOnly;
        options.Recovery = Recovery ?? options.Recovery;
        options.MaxAttempts = MaxAttempts ?? options.MaxAttempts;
        return options;
    }
}
