namespace Synapse.Flows.Graph;

/// <summary>
/// Verifies decision graph files, alone or together: every record's encoding and signature, each owner's chain
/// (sequence numbers from 1 without gaps, previous hashes, timestamps that never go backwards), that the indexed
/// columns agree with the records, the imported peer records, and the cross-links between graphs.
/// </summary>
/// <remarks>
/// A cross-link (a record's cause hash or peer reference) resolves when its target is an own or imported record of
/// any of the files given; otherwise it is reported as a warning (<see cref="DecisionProblemKind.UnresolvedLink"/>),
/// since the target may simply live in a graph that was not given. Two different records with the same agent and
/// sequence number across the files are an error (<see cref="DecisionProblemKind.Conflict"/>): the agent forked its
/// chain. Removing the newest records of a chain leaves a valid, shorter chain; it shows as unresolved links from
/// the peers that saw them.
/// </remarks>
public static class DecisionGraphVerifier
{
    /// <summary>Verifies one graph file.</summary>
    /// <param name="path">A <c>decisions.db</c>.</param>
    /// <returns>The findings.</returns>
    public static DecisionGraphVerification Verify(string path) => Verify([path]);

    /// <summary>Verifies graph files together, resolving cross-links among them.</summary>
    /// <param name="paths">The <c>decisions.db</c> files.</param>
    /// <returns>The findings, errors in the order of the files.</returns>
    public static DecisionGraphVerification Verify(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var checks = paths.Select(GraphFileCheck.Run).ToList();
        var problems = checks.SelectMany(c => c.Problems).ToList();

        // Every verified record, own or imported, by hash; and by (agent, sequence) to find forks.
        var known = new HashSet<DecisionHash>();
        var bySequence = new Dictionary<(Identity.AgentId, long), (DecisionRecord Record, string Path)>();
        foreach (GraphFileCheck check in checks)
        {
            foreach (DecisionRecord record in check.Chain.Concat(check.PeerRecords))
            {
                known.Add(record.Hash);
                if (bySequence.TryGetValue((record.Agent, record.Sequence), out var seen))
                {
                    if (seen.Record.Hash != record.Hash)
                    {
                        problems.Add(new DecisionGraphProblem(DecisionProblemKind.Conflict, check.Path, record.Agent, record.Sequence,
                            $"record #{record.Sequence} of {record.Agent} is {record.Hash} here but {seen.Record.Hash} in {seen.Path}: the chain forked"));
                    }
                }
                else
                {
                    bySequence.Add((record.Agent, record.Sequence), (record, check.Path));
                }
            }
        }

        int resolved = 0;
        foreach (CrossLink link in checks.SelectMany(c => c.Links))
        {
            if (known.Contains(link.Target))
            {
                resolved++;
            }
            else
            {
                problems.Add(new DecisionGraphProblem(DecisionProblemKind.UnresolvedLink, link.Path, link.Agent, link.Sequence,
                    $"record #{link.Sequence} of {link.Agent}: links to {link.Target}, found in none of the graphs given"));
            }
        }

        return new DecisionGraphVerification([.. checks.Select(c => c.Summary)], problems, resolved);
    }
}
