namespace Synapse.Tasks;

/// <summary>Where a long-running task is in its life, as A2A names the states.</summary>
public enum AgentTaskState
{
    /// <summary>Accepted and waiting for its turn (<c>submitted</c>).</summary>
    Submitted,

    /// <summary>Running (<c>working</c>).</summary>
    Working,

    /// <summary>Waiting for its caller to answer a prompt (<c>input-required</c>).</summary>
    InputRequired,

    /// <summary>Ended with a result (<c>completed</c>); final.</summary>
    Completed,

    /// <summary>Ended with an error (<c>failed</c>); final.</summary>
    Failed,

    /// <summary>Cancelled by its caller (<c>canceled</c>); final.</summary>
    Canceled,
}

/// <summary>The wire names of <see cref="AgentTaskState"/> and what they imply.</summary>
public static class AgentTaskStates
{
    /// <summary>Whether a task in <paramref name="state"/> has ended and will not change again.</summary>
    public static bool IsFinal(this AgentTaskState state) => state >= AgentTaskState.Completed;

    /// <summary>The wire name: <c>submitted</c>, <c>working</c>, <c>input-required</c>, <c>completed</c>, <c>failed</c> or <c>canceled</c>.</summary>
    public static string ToWire(this AgentTaskState state) => state switch
    {
        AgentTaskState.Submitted => "submitted",
        AgentTaskState.Working => "working",
        AgentTaskState.InputRequired => "input-required",
        AgentTaskState.Completed => "completed",
        AgentTaskState.Failed => "failed",
        AgentTaskState.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Parses a wire name.</summary>
    /// <exception cref="FormatException">The name is none of the six.</exception>
    public static AgentTaskState Parse(string name) => name switch
    {
        "submitted" => AgentTaskState.Submitted,
        "working" => AgentTaskState.Working,
        "input-required" => AgentTaskState.InputRequired,
        "completed" => AgentTaskState.Completed,
        "failed" => AgentTaskState.Failed,
        "canceled" => AgentTaskState.Canceled,
        _ => throw new FormatException($"'{name}' is not a task state (submitted, working, input-required, completed, failed, canceled)"),
    };
}
