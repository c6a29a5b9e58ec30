namespace Synapse.Tasks;

/// <summary>The wire names of the task built-ins a host with <c>AgentHostOptions.Tasks</c> serves (see <c>docs/protocol.md</c>).</summary>
public static class AgentTaskBuiltins
{
    /// <summary><c>_synapse.task.start(endpoint, args, kwargs)</c>: starts a task and answers it as it stands.</summary>
    public const string Start = "_synapse.task.start";

    /// <summary><c>_synapse.task.get(id)</c>: the task as it stands.</summary>
    public const string Get = "_synapse.task.get";

    /// <summary><c>_synapse.task.cancel(id)</c>: asks the task to stop.</summary>
    public const string Cancel = "_synapse.task.cancel";

    /// <summary><c>_synapse.task.input(id, value)</c>: answers the task's question.</summary>
    public const string Input = "_synapse.task.input";

    /// <summary><c>_synapse.task.subscribe(id, after)</c>: streams the task's updates after <c>after</c>, ending with its final state.</summary>
    public const string Subscribe = "_synapse.task.subscribe";
}
