using Synapse.Identity;

namespace Synapse.Reputation;

/// <summary>
/// The parameters of the reputation formula (see <c>docs/reputation.md</c>). Two parties computing a score from the
/// same evidence with the same options get the same value, so the options belong with any published score.
/// </summary>
public sealed class ReputationOptions
{
    /// <summary>The time the score is computed for: reports signed later and quarantines starting later are ignored,
    /// and quarantine decay is measured from it. Required so that recomputation is reproducible.</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>N₀: how many distinct counterparties (other than the subject) a reporter needs, in verified interactions,
    /// for its reports to carry full weight. A reporter with n counterparties has credibility min(1, n / N₀).</summary>
    public int EstablishedCounterparties { get; init; } = 5;

    /// <summary>C: the most report weight one reporter can contribute about one subject, in units of its credibility.
    /// A reporter with k reports about the subject gives each the weight credibility × min(1, C / k).</summary>
    public int MaxReportsPerReporter { get; init; } = 3;

    /// <summary>How much a timeout counts against the subject compared with a failure.</summary>
    public double TimeoutWeight { get; init; } = 0.5;

    /// <summary>Q: how much a quarantine counts against the subject while it lasts, in failures.</summary>
    public double QuarantineWeight { get; init; } = 4;

    /// <summary>How long after its end a quarantine stops counting; its weight falls linearly to zero over this time.</summary>
    public TimeSpan QuarantineMemory { get; init; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Agents the scorer trusts as starting points. When not empty, a reporter's counterparty counts towards its
    /// credibility only if it is an anchor or has itself completed an interaction with an anchor, so a ring of fresh
    /// identities that never dealt with an anchor has no credibility at all. When empty, every counterparty counts,
    /// and a ring of more than N₀ identities gives itself full credibility (see the limits in <c>docs/reputation.md</c>).
    /// </summary>
    public IReadOnlyCollection<AgentId> Anchors { get; init; } = [];

    /// <summary>The relays whose quarantine attestations count; attestations of other relays are ignored.</summary>
    public IReadOnlyCollection<AgentId> TrustedRelays { get; init; } = [];

    /// <summary>Checks the parameters.</summary>
    internal void Validate()
    {
        if (EstablishedCounterparties < 1 || MaxReportsPerReporter < 1 || !(TimeoutWeight >= 0) || !(QuarantineWeight >= 0) || QuarantineMemory <= TimeSpan.Zero)
        {
            throw new ArgumentException("Reputation options: N₀ and C must be at least 1, the weights non-negative and the quarantine memory positive.");
        }
    }
}
