using Synapse.Identity;

namespace Synapse.Flows.Graph;

/// <summary>What one graph file held, as far as it verified.</summary>
/// <param name="Path">The file.</param>
/// <param name="Agent">Its owner (the default value when unreadable).</param>
/// <param name="Records">The owner's records read (up to the first bad one).</param>
/// <param name="PeerRecords">The imported peer records that verified.</param>
public sealed record DecisionGraphSummary(string Path, AgentId Agent, long Records, long PeerRecords);

/// <summary>The result of <see cref="DecisionGraphVerifier.Verify(IEnumerable{string})"/>.</summary>
public sealed class DecisionGraphVerification
{
    internal DecisionGraphVerification(IReadOnlyList<DecisionGraphSummary> graphs, IReadOnlyList<DecisionGraphProblem> problems, int resolvedLinks)
    {
        Graphs = graphs;
        Errors = [.. problems.Where(p => !p.IsWarning)];
        Warnings = [.. problems.Where(p => p.IsWarning)];
        ResolvedLinks = resolvedLinks;
    }

    /// <summary>Whether there is no error (warnings allowed).</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>The first error found, in the order the files were given; null when valid.</summary>
    public DecisionGraphProblem? FirstError => Errors.Count == 0 ? null : Errors[0];

    /// <summary>Every error: at most one per chain (the first bad record), plus bad peer records and conflicts.</summary>
    public IReadOnlyList<DecisionGraphProblem> Errors { get; }

    /// <summary>Unresolved cross-links.</summary>
    public IReadOnlyList<DecisionGraphProblem> Warnings { get; }

    /// <summary>One summary per file given.</summary>
    public IReadOnlyList<DecisionGraphSummary> Graphs { get; }

    /// <summary>The number of distinct owners among the files.</summary>
    public int Agents => Graphs.Where(g => !g.Agent.IsDefault).Select(g => g.Agent).Distinct().Count();

    /// <summary>The owners' records read, over all files.</summary>
    public long Records => Graphs.Sum(g => g.Records);

    /// <summary>Cross-links whose target was found.</summary>
    public int ResolvedLinks { get; }

    /// <summary>Cross-links whose target was not found (each is a warning).</summary>
    public int UnresolvedLinks => Warnings.Count;
}
