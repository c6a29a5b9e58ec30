using Synapse.Flows.Graph;
using Synapse.Reputation;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>Real reputation evidence, the seeds of the reputation targets.</summary>
internal static class ReputationEvidence
{
    /// <summary>A report by Alice on Bob.</summary>
    public static ReputationReport Report(ReputationReportKind kind) =>
        ReputationReport.Sign(Fixtures.Alice, Fixtures.Bob.Id, kind, DecisionRecordTarget.Records().First().Hash, Fixtures.Start);

    /// <summary>The relay's attestation that Bob was quarantined.</summary>
    public static QuarantineAttestation Quarantine() =>
        QuarantineAttestation.Sign(Fixtures.Relay, Fixtures.Bob.Id, "rate_limit", Fixtures.Start, Fixtures.Start.AddHours(1));

    /// <summary>A set holding records, reports and an attestation.</summary>
    public static EvidenceSet Set()
    {
        var set = new EvidenceSet();
        foreach (DecisionRecord record in DecisionRecordTarget.Records())
        {
            set.Add(record);
        }

        set.Add(Report(ReputationReportKind.Success));
        set.Add(Report(ReputationReportKind.Timeout));
        set.Add(Quarantine());
        return set;
    }
}
