namespace Synapse.Tasks;

/// <summary>What a restarted host does with a task the store holds unfinished (the host stopped or died while it ran).</summary>
public enum AgentTaskRecovery
{
    /// <summary>Runs it again from the start, up to <see cref="AgentTaskOptions.MaxAttempts"/> runs in all; then it fails.</summary>
    RunAgain,

    /// <summary>Fails it at once, naming the restart: for endpoints that must not run twice.</summary>
    Fail,
}
