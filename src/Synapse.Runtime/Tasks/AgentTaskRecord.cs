namespace Synapse.Tasks;

/// <summary>
/// A task as an <see cref="IAgentTaskStore"/> keeps it: what to run (so a restarted host can run it again), who
/// started it, and where it stands. Progress reports and partial results are not stored; the latest state, the
/// result or the error are.
/// </summary>
public sealed record AgentTaskRecord
{
    /// <summary>The task id.</summary>
    public required string Id { get; init; }

    /// <summary>The endpoint the task runs.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The positional arguments, an encoded MessagePack array.</summary>
    public required ReadOnlyMemory<byte> Arguments { get; init; }

    /// <summary>The keyword arguments, an encoded MessagePack map.</summary>
    public required ReadOnlyMemory<byte> KeywordArguments { get; init; }

    /// <summary>The agent id of the caller that started it, when its link proved one.</summary>
    public string? Owner { get; init; }

    /// <summary>Its state.</summary>
    public required AgentTaskState State { get; init; }

    /// <summary>When it was started.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>When its state last changed.</summary>
    public required DateTimeOffset Updated { get; init; }

    /// <summary>
    /// A bound on the sequence numbers its updates used so far: a restarted host numbers new updates above it, so a
    /// subscriber's position stays meaningful across the restart.
    /// </summary>
    public required long Sequence { get; init; }

    /// <summary>How many times it was started (a restart runs an unfinished task again).</summary>
    public required int Attempt { get; init; }

    /// <summary>The result, encoded MessagePack, once <see cref="AgentTaskState.Completed"/>.</summary>
    public ReadOnlyMemory<byte>? Result { get; init; }

    /// <summary>The error code, once <see cref="AgentTaskState.Failed"/> or <see cref="AgentTaskState.Canceled"/>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The error message that goes with <see cref="ErrorCode"/>.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>The question asked, while <see cref="AgentTaskState.InputRequired"/>.</summary>
    public string? Prompt { get; init; }
}
