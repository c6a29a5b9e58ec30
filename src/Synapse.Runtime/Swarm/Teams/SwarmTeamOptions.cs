namespace Synapse.Swarm.Teams;

/// <summary>How a <see cref="SwarmTeam"/> keeps its tasks moving.</summary>
public sealed class SwarmTeamOptions
{
    /// <summary>
    /// How long a task may go without an offer, claim or progress before it is offered again (the next attempt);
    /// also how often an unclaimed offer is announced again. Default five minutes, as synapse-p2p.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many attempts a task gets before it fails; <c>null</c> (the default) offers it again forever.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>How long a finished task stays in the team's table; <c>null</c> (the default) keeps it.</summary>
    public TimeSpan? TaskRetention { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Lease, TimeSpan.Zero, nameof(Lease));
        if (MaxAttempts is { } attempts)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1, nameof(MaxAttempts));
        }

        if (TaskRetention is { } retention)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(retention, TimeSpan.Zero, nameof(TaskRetention));
        }
    }
}

/// <summary>How a <see cref="SwarmWorker"/> claims and keeps its tasks.</summary>
public sealed class SwarmWorkerOptions
{
    /// <summary>How long a claim waits for its grant before the worker forgets it. Default one minute.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a running task's lease is renewed with a <c>heartbeat</c> progress event. Default one minute.</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The capabilities the worker claims with; the node's own (<see cref="SwarmNode.Self"/>) when <c>null</c>.</summary>
    public IReadOnlyList<string>? Capabilities { get; set; }

    /// <summary>How many tasks the worker runs at once; offers beyond are left to others. Default 4.</summary>
    public int MaxConcurrentTasks { get; set; } = 4;

    /// <summary>
    /// How many claims may wait for their grant at once; offers beyond are skipped (a team announces an unclaimed offer
    /// again each lease), so a flood of offers cannot make the worker flood the swarm with claims. Default 16.
    /// </summary>
    public int MaxPendingClaims { get; set; } = 16;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ClaimTimeout, TimeSpan.Zero, nameof(ClaimTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RenewInterval, TimeSpan.Zero, nameof(RenewInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentTasks, 1, nameof(MaxConcurrentTasks));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingClaims, 1, nameof(MaxPendingClaims));
    }
}
