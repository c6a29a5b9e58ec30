using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Reputation;

/// <summary>
/// An in-memory store of verified reputation evidence. Items are checked when added (signatures only; whether a
/// report cites a real interaction is decided when scoring), and <see cref="Evidence"/> hands out the subset a
/// third party needs to recompute a subject's score. Thread-safe.
/// </summary>
public sealed class ReputationBook
{
    private readonly EvidenceSet _all = new();
    private readonly Lock _lock = new();
    private IReadOnlyList<Interaction>? _interactions;

    /// <summary>The number of items held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _all.Count;
            }
        }
    }

    /// <summary>Adds a decision record if its signature verifies.</summary>
    /// <param name="record">The record.</param>
    /// <returns>False when the signature fails or the record is already held.</returns>
    public bool Add(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.VerifySignature() && Locked(() =>
        {
            _interactions = null; // found again, from verified records only, when evidence is next asked for
            return _all.Add(record);
        });
    }

    /// <summary>Adds a report if its signature verifies.</summary>
    /// <param name="report">The report.</param>
    /// <returns>False when the signature fails or the report is already held.</returns>
    public bool Add(ReputationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.VerifySignature() && Locked(() => _all.Add(report));
    }

    /// <summary>Adds a quarantine attestation if its signature verifies.</summary>
    /// <param name="attestation">The attestation.</param>
    /// <returns>False when the signature fails or the attestation is already held.</returns>
    public bool Add(QuarantineAttestation attestation)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        return attestation.VerifySignature() && Locked(() => _all.Add(attestation));
    }

    /// <summary>Adds every verifiable item of a set (for instance one fetched from another party).</summary>
    /// <param name="evidence">The set.</param>
    /// <returns>How many items were new and verified.</returns>
    public int Import(EvidenceSet evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return evidence.Records.Count(Add) + evidence.Reports.Count(Add) + evidence.Quarantines.Count(Add);
    }

    /// <summary>
    /// The evidence about <paramref name="subject"/>: the reports and attestations about it, and the records of
    /// every interaction of the subject, of its reporters and of their counterparties (what credibility and
    /// anchors are computed from).
    /// </summary>
    /// <param name="subject">The agent.</param>
    /// <returns>A new set; scoring it gives the same result as scoring the whole book.</returns>
    public EvidenceSet Evidence(AgentId subject)
    {
        lock (_lock)
        {
            var set = new EvidenceSet();
            var reports = _all.Reports.Where(r => r.Subject == subject).ToList();
            reports.ForEach(r => set.Add(r));
            _all.Quarantines.Where(q => q.Subject == subject).ToList().ForEach(q => set.Add(q));

            IReadOnlyList<Interaction> interactions = _interactions ??= Interaction.Find(_all.Records, signaturesVerified: true);
            var near = new HashSet<AgentId>(reports.Select(r => r.Reporter)) { subject };
            var reach = new HashSet<AgentId>(near);
            foreach (Interaction i in interactions.Where(i => near.Contains(i.Initiator) || near.Contains(i.Responder)))
            {
                reach.Add(i.Initiator);
                reach.Add(i.Responder);
            }

            foreach (Interaction i in interactions.Where(i => reach.Contains(i.Initiator) || reach.Contains(i.Responder)))
            {
                set.Add(i.Opening);
                set.Add(i.Response);
                set.Add(i.Closing);
            }

            set.SignaturesVerified = true;
            return set;
        }
    }

    /// <summary>Scores <paramref name="subject"/> from <see cref="Evidence"/>.</summary>
    /// <param name="subject">The agent.</param>
    /// <param name="options">The formula's parameters.</param>
    /// <returns>The score.</returns>
    public ReputationScore Score(AgentId subject, ReputationOptions options) => ReputationCalculator.Score(subject, Evidence(subject), options);

    private bool Locked(Func<bool> add)
    {
        lock (_lock)
        {
            return add();
        }
    }
}
