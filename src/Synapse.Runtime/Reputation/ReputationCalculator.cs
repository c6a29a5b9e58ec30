using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Reputation;

/// <summary>
/// Computes an agent's reputation from evidence with the beta-reputation formula of <c>docs/reputation.md</c>:
/// α = 1 + Σ w (successes), β = 1 + Σ w (failures) + T·Σ w (timeouts) + Q·Σ decay (quarantines), score = α / (α + β),
/// where a report's weight w is its reporter's credibility min(1, n / N₀) (n: the reporter's distinct verified
/// counterparties other than the subject, with <see cref="ReputationOptions.Anchors"/> only those
/// linked to an anchor) shared over at most C reports of that reporter. Sums run in bytewise
/// hash order and results are rounded to <see cref="Decimals"/> places, so anyone recomputes identical values.
/// </summary>
public static class ReputationCalculator
{
    /// <summary>The decimal places of the published numbers.</summary>
    public const int Decimals = 6;

    /// <summary>Computes <paramref name="subject"/>'s score from <paramref name="evidence"/>.</summary>
    /// <param name="subject">The agent to score.</param>
    /// <param name="evidence">The evidence; everything is verified before use.</param>
    /// <param name="options">The formula's parameters.</param>
    /// <returns>The score, the counts, the evidence used and the evidence refused.</returns>
    public static ReputationScore Score(AgentId subject, EvidenceSet evidence, ReputationOptions options)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        IReadOnlyList<Interaction> interactions = Interaction.Find(evidence.Records);
        var rejected = new List<RejectedEvidence>();
        List<(ReputationReport Report, Interaction Cited)> reports = ChooseReports(subject, evidence, options, interactions, rejected);
        Dictionary<AgentId, int> counterparties = CountCounterparties(subject, interactions, options.Anchors);
        Dictionary<AgentId, int> reportsPerReporter = reports.GroupBy(r => r.Report.Reporter).ToDictionary(g => g.Key, g => g.Count());

        double alpha = 1, beta = 1;
        int successes = 0, failures = 0, timeouts = 0;
        var used = new SortedSet<DecisionHash>(HashOrder.Instance);
        foreach (var (report, cited) in reports)
        {
            double credibility = Math.Min(1.0, (double)counterparties.GetValueOrDefault(report.Reporter) / options.EstablishedCounterparties);
            double weight = credibility * Math.Min(1.0, (double)options.MaxReportsPerReporter / reportsPerReporter[report.Reporter]);
            switch (report.Kind)
            {
                case ReputationReportKind.Success: alpha += weight; successes++; break;
                case ReputationReportKind.Failure: beta += weight; failures++; break;
                default: beta += options.TimeoutWeight * weight; timeouts++; break;
            }

            used.UnionWith([report.Hash, cited.Opening.Hash, cited.Response.Hash, cited.Closing.Hash]);
        }

        int quarantines = 0;
        foreach (var (attestation, decay) in ChooseQuarantines(subject, evidence, options, rejected))
        {
            beta += options.QuarantineWeight * decay;
            quarantines++;
            used.Add(attestation.Hash);
        }

        double value = alpha / (alpha + beta);
        return new ReputationScore(Round(value), Round(alpha), Round(beta), (successes, failures, timeouts, quarantines), [.. used], rejected);
    }

    /// <summary>Rounds to <see cref="Decimals"/> places, half to even.</summary>
    /// <param name="value">A number.</param>
    /// <returns>The rounded number.</returns>
    public static double Round(double value) => Math.Round(value, Decimals, MidpointRounding.ToEven);

    private static List<(ReputationReport, Interaction)> ChooseReports(
        AgentId subject, EvidenceSet evidence, ReputationOptions options, IReadOnlyList<Interaction> interactions, List<RejectedEvidence> rejected)
    {
        var byId = interactions.ToDictionary(i => i.Id);
        var chosen = new Dictionary<(AgentId, DecisionHash), (ReputationReport Report, Interaction Cited)>();
        foreach (ReputationReport report in evidence.Reports.Where(r => r.Subject == subject).OrderBy(r => r.Hash, HashOrder.Instance))
        {
            Interaction? cited = null;
            string? reason = report.Reporter == subject ? "self_report"
                : !report.VerifySignature() ? "bad_signature"
                : report.Timestamp > options.AsOf ? "future"
                : !byId.TryGetValue(report.Interaction, out cited) || !cited.IsBetween(report.Reporter, subject) ? "uncited"
                : null;
            if (reason is not null)
            {
                rejected.Add(new RejectedEvidence(report.Hash, reason));
                continue;
            }

            var key = (report.Reporter, report.Interaction);
            if (chosen.TryGetValue(key, out var held))
            {
                // One report per reporter and interaction: the latest counts (on a tie, the smaller hash, seen first).
                bool newer = report.Timestamp > held.Report.Timestamp;
                rejected.Add(new RejectedEvidence(newer ? held.Report.Hash : report.Hash, "superseded"));
                if (!newer)
                {
                    continue;
                }
            }

            chosen[key] = (report, cited!);
        }

        return [.. chosen.Values.OrderBy(r => r.Report.Hash, HashOrder.Instance)];
    }

    /// <summary>n per agent: its distinct counterparties other than the subject; with anchors, only those that are
    /// anchors or have themselves interacted with an anchor.</summary>
    private static Dictionary<AgentId, int> CountCounterparties(AgentId subject, IReadOnlyList<Interaction> interactions, IReadOnlyCollection<AgentId> anchors)
    {
        var sets = new Dictionary<AgentId, HashSet<AgentId>>();
        foreach (Interaction interaction in interactions)
        {
            Link(interaction.Initiator, interaction.Responder);
            Link(interaction.Responder, interaction.Initiator);
        }

        return sets.ToDictionary(p => p.Key, p => anchors.Count == 0 ? p.Value.Count : p.Value.Count(Qualified));

        bool Qualified(AgentId counterparty) =>
            anchors.Contains(counterparty) || (sets.TryGetValue(counterparty, out var theirs) && theirs.Any(anchors.Contains));

        void Link(AgentId agent, AgentId counterparty)
        {
            if (counterparty != subject && agent != subject)
            {
                (sets.TryGetValue(agent, out var set) ? set : sets[agent] = []).Add(counterparty);
            }
        }
    }

    private static IEnumerable<(QuarantineAttestation, double)> ChooseQuarantines(
        AgentId subject, EvidenceSet evidence, ReputationOptions options, List<RejectedEvidence> rejected)
    {
        foreach (QuarantineAttestation attestation in evidence.Quarantines.Where(q => q.Subject == subject).OrderBy(q => q.Hash, HashOrder.Instance))
        {
            double decay = options.AsOf <= attestation.Until
                ? 1.0
                : Math.Max(0.0, 1.0 - ((double)(options.AsOf - attestation.Until).Ticks / options.QuarantineMemory.Ticks));
            string? reason = !options.TrustedRelays.Contains(attestation.Relay) ? "untrusted_relay"
                : !attestation.VerifySignature() ? "bad_signature"
                : attestation.From > options.AsOf ? "future"
                : decay <= 0 ? "expired"
                : null;
            if (reason is not null)
            {
                rejected.Add(new RejectedEvidence(attestation.Hash, reason));
                continue;
            }

            yield return (attestation, decay);
        }
    }
}
