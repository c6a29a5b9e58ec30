namespace Synapse.Flows.Graph;

/// <summary>
/// A record <see cref="DecisionGraph.EnqueueAsync"/> placed in the chain: its sequence number and hash are final;
/// <see cref="Committed"/> completes with the signed record once the batch holding it is durable.
/// </summary>
/// <param name="Sequence">The record's position in the chain.</param>
/// <param name="Hash">The record's hash (what messages carry and other records link to).</param>
/// <param name="Committed">Completes with the signed record once it is on disk; faults with the error of its batch's
/// commit (a <see cref="DecisionGraphException"/>), after which the graph accepts no more appends.</param>
public readonly record struct DecisionAppend(long Sequence, DecisionHash Hash, Task<DecisionRecord> Committed);
