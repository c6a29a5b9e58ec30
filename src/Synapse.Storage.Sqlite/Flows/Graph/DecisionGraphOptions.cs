namespace Synapse.Flows.Graph;

/// <summary>Options of a <see cref="DecisionGraph"/>: its clock and the bounds of group commit.</summary>
public sealed class DecisionGraphOptions
{
    /// <summary>The clock of record timestamps; <see cref="TimeProvider.System"/> when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// The most records one transaction (one fsync) commits. Appends that arrive while a batch is being committed
    /// wait for the next one, up to this many. Default 1024; at least 1.
    /// </summary>
    public int MaxBatchRecords { get; init; } = 1024;

    /// <summary>
    /// The most records appended but not yet committed (queued or in the batch being committed). Beyond it,
    /// <see cref="DecisionGraph.EnqueueAsync"/> waits for room: the graph's backpressure on writers that outpace the
    /// disk. Default 8192; at least <see cref="MaxBatchRecords"/>.
    /// </summary>
    public int MaxPendingRecords { get; init; } = 8192;

    /// <summary>Checks the bounds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is out of range; the message names it.</exception>
    internal void Validate()
    {
        if (MaxBatchRecords < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchRecords), MaxBatchRecords, "DecisionGraphOptions.MaxBatchRecords must be at least 1.");
        }

        if (MaxPendingRecords < MaxBatchRecords)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPendingRecords), MaxPendingRecords,
                $"DecisionGraphOptions.MaxPendingRecords must be at least MaxBatchRecords ({MaxBatchRecords}).");
        }
    }
}
