using Synapse.Flows.Graph;

namespace Synapse.Reputation;

/// <summary>
/// The evidence a reputation score is computed from: decision records (from which <see cref="Interaction"/>s are
/// found), <see cref="ReputationReport"/>s and <see cref="QuarantineAttestation"/>s. Items are kept once each (by
/// hash), in the order added. Nothing is verified on add; <see cref="ReputationCalculator"/> verifies everything it
/// uses. <see cref="Encode"/> and <see cref="Decode"/> move a set between parties (see <c>docs/reputation.md</c>).
/// </summary>
public sealed partial class EvidenceSet
{
    private readonly List<DecisionRecord> _records = [];
    private readonly List<ReputationReport> _reports = [];
    private readonly List<QuarantineAttestation> _quarantines = [];
    private readonly HashSet<DecisionHash> _seen = [];

    /// <summary>The decision records.</summary>
    public IReadOnlyList<DecisionRecord> Records => _records;

    /// <summary>The outcome reports.</summary>
    public IReadOnlyList<ReputationReport> Reports => _reports;

    /// <summary>The quarantine attestations.</summary>
    public IReadOnlyList<QuarantineAttestation> Quarantines => _quarantines;

    /// <summary>The number of items held.</summary>
    public int Count => _seen.Count;

    /// <summary>Adds a decision record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>False when the set already held it.</returns>
    public bool Add(DecisionRecord record) => Add(_records, record, record.Hash);

    /// <summary>Adds a report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>False when the set already held it.</returns>
    public bool Add(ReputationReport report) => Add(_reports, report, report.Hash);

    /// <summary>Adds a quarantine attestation.</summary>
    /// <param name="attestation">The attestation.</param>
    /// <returns>False when the set already held it.</returns>
    public bool Add(QuarantineAttestation attestation) => Add(_quarantines, attestation, attestation.Hash);

    /// <summary>Adds every item of <paramref name="other"/>.</summary>
    /// <param name="other">Another set.</param>
    public void AddRange(EvidenceSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        other._records.ForEach(r => Add(r));
        other._reports.ForEach(r => Add(r));
        other._quarantines.ForEach(q => Add(q));
    }

    /// <summary>Whether every record's signature is known to verify (a set a <see cref="ReputationBook"/> made and
    /// nobody added to since), so finding interactions need not check them again.</summary>
    internal bool SignaturesVerified { get; set; }

    private bool Add<T>(List<T> list, T item, DecisionHash hash)
    {
        ArgumentNullException.ThrowIfNull(item);
        SignaturesVerified = false;
        if (!_seen.Add(hash))
        {
            return false;
        }

        if (_seen.Count > EvidenceLimits.MaxItems)
        {
            _seen.Remove(hash);
            throw new InvalidOperationException($"An evidence set holds at most {EvidenceLimits.MaxItems} items.");
        }

        list.Add(item);
        return true;
    }
}
