using Synapse.Identity;

namespace Synapse.Reputation;

/// <summary>
/// Evidence about <see cref="Subject"/> received from another party (for instance with
/// <c>SynapseClient.FetchEvidenceAsync</c>). Nothing in it is trusted: <see cref="Score"/> recomputes the score
/// locally with <see cref="ReputationCalculator"/>, which verifies every signature and citation and lists what it
/// refused in <see cref="ReputationScore.Rejected"/>.
/// </summary>
/// <param name="Subject">The agent the evidence is about (the one asked for).</param>
/// <param name="Evidence">The decoded set.</param>
/// <param name="Available">How many items the sender said it holds about the subject (its claim, unchecked).</param>
/// <param name="Truncated">Whether the sender cut the set to fit one response (see <see cref="EvidenceSet.Fit"/>).</param>
/// <param name="Source">The agent id the sender proved on a multiplexed secure link (<c>SynapseClient.PeerId</c>); <c>null</c> otherwise.</param>
public sealed record FetchedEvidence(AgentId Subject, EvidenceSet Evidence, int Available, bool Truncated, AgentId? Source)
{
    /// <summary>Computes <see cref="Subject"/>'s score from <see cref="Evidence"/>.</summary>
    /// <param name="options">The formula's parameters.</param>
    /// <returns>The score, with the counted and the refused evidence.</returns>
    public ReputationScore Score(ReputationOptions options) => ReputationCalculator.Score(Subject, Evidence, options);
}
