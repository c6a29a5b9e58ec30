using Synapse.Identity;

namespace Synapse.Flows.Graph;

/// <summary>One finding of <see cref="DecisionGraphVerifier"/>.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Path">The graph file it was found in.</param>
/// <param name="Agent">The agent of the record (the default value when unknown).</param>
/// <param name="Sequence">The record's sequence number, or null when the problem is not one record's.</param>
/// <param name="Message">A one-line description naming the record.</param>
public sealed record DecisionGraphProblem(DecisionProblemKind Kind, string Path, AgentId Agent, long? Sequence, string Message)
{
    /// <summary>Whether this is a warning (<see cref="DecisionProblemKind.UnresolvedLink"/>) rather than an error.</summary>
    public bool IsWarning => Kind == DecisionProblemKind.UnresolvedLink;

    /// <summary>The file and the message, e.g. <c>/data/decisions.db: record #7 of did:key:z6Mk…: bad signature</c>.</summary>
    public override string ToString() => $"{Path}: {Message}";
}
