using Synapse.MessagePack;

namespace Synapse.Swarm.Teams;

/// <summary>Where a team's task stands.</summary>
public enum SwarmTeamTaskState
{
    /// <summary>Offered; no claim granted for the current attempt yet.</summary>
    Offered,

    /// <summary>Granted to a worker, which is working on it.</summary>
    Granted,

    /// <summary>A worker returned its result.</summary>
    Done,

    /// <summary>A worker failed it, or no worker completed it within the team's attempts.</summary>
    Failed,
}

/// <summary>A team's task as the team last saw it.</summary>
/// <param name="TaskId">The task's id, also its conversation's.</param>
/// <param name="Title">What the task is.</param>
/// <param name="Spec">Its details, a map.</param>
/// <param name="Requires">The capabilities a worker needs to claim it.</param>
/// <param name="Attempt">The current attempt, from 1.</param>
/// <param name="State">Where it stands.</param>
/// <param name="WorkerId">The peer it is (or was last) granted to.</param>
/// <param name="WorkerName">That peer's name.</param>
/// <param name="Result">The result, once done.</param>
/// <param name="Error">Why it failed, once failed.</param>
/// <param name="LastActivity">Its last offer, claim or progress (seconds since the Unix epoch): the lease counts from it.</param>
public sealed record SwarmTeamTask(
    string TaskId, string Title, MsgPackValue Spec, IReadOnlyList<string> Requires, int Attempt, SwarmTeamTaskState State,
    string? WorkerId, string? WorkerName, MsgPackValue? Result, string? Error, double LastActivity)
{
    /// <summary>Whether the task is done or failed.</summary>
    public bool IsFinished => State is SwarmTeamTaskState.Done or SwarmTeamTaskState.Failed;
}

/// <summary>A team task that failed, from <see cref="SwarmTeam.WaitAsync"/>.</summary>
public sealed class SwarmTeamTaskException : Exception
{
    /// <summary>Creates the exception for <paramref name="task"/>.</summary>
    public SwarmTeamTaskException(SwarmTeamTask task)
        : base($"team task {task?.TaskId} ('{task?.Title}') failed: {task?.Error}")
    {
        ArgumentNullException.ThrowIfNull(task);
        Task = task;
    }

    /// <summary>The failed task.</summary>
    public SwarmTeamTask Task { get; }
}
