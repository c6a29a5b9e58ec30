using Synapse.Flows.Graph;

namespace Synapse.Reputation;

/// <summary>Evidence the calculator could not use, and why.</summary>
/// <param name="Hash">The hash of the report, attestation or record.</param>
/// <param name="Reason">A short code: <c>bad_signature</c>, <c>uncited</c>, <c>self_report</c>, <c>future</c>,
/// <c>superseded</c>, <c>untrusted_relay</c> or <c>expired</c>.</param>
public readonly record struct RejectedEvidence(DecisionHash Hash, string Reason);

/// <summary>
/// A reputation score and what it was computed from. <see cref="Value"/>, <see cref="Alpha"/> and <see cref="Beta"/>
/// are rounded to 6 decimal places (round half to even), so recomputation gives identical numbers.
/// </summary>
public sealed class ReputationScore
{
    /// <summary>Creates a score.</summary>
    /// <param name="value">α / (α + β), rounded.</param>
    /// <param name="alpha">α, rounded.</param>
    /// <param name="beta">β, rounded.</param>
    /// <param name="counts">The numbers of counted successes, failures, timeouts and quarantines.</param>
    /// <param name="evidence">The hashes of the evidence used.</param>
    /// <param name="rejected">The evidence refused.</param>
    public ReputationScore(double value, double alpha, double beta, (int Successes, int Failures, int Timeouts, int Quarantines) counts, IReadOnlyList<DecisionHash> evidence, IReadOnlyList<RejectedEvidence> rejected)
    {
        Value = value;
        Alpha = alpha;
        Beta = beta;
        (Successes, Failures, Timeouts, Quarantines) = counts;
        Evidence = evidence;
        Rejected = rejected;
    }

    /// <summary>The score, from 0 (bad) to 1 (good); 0.5 without evidence.</summary>
    public double Value { get; }

    /// <summary>α = 1 + the weighted successes.</summary>
    public double Alpha { get; }

    /// <summary>β = 1 + the weighted failures, timeouts and quarantines.</summary>
    public double Beta { get; }

    /// <summary>Success reports counted.</summary>
    public int Successes { get; }

    /// <summary>Failure reports counted.</summary>
    public int Failures { get; }

    /// <summary>Timeout reports counted.</summary>
    public int Timeouts { get; }

    /// <summary>Quarantine attestations counted.</summary>
    public int Quarantines { get; }

    /// <summary>The hashes of the reports and attestations counted and of the decision records of the interactions
    /// they cite, ordered bytewise.</summary>
    public IReadOnlyList<DecisionHash> Evidence { get; }

    /// <summary>The reports and attestations about the subject that were not counted.</summary>
    public IReadOnlyList<RejectedEvidence> Rejected { get; }

    /// <summary>Shows the value and the counts.</summary>
    public override string ToString() =>
        $"ReputationScore({Value:0.000000}: {Successes} ok, {Failures} failed, {Timeouts} timed out, {Quarantines} quarantines)";
}
