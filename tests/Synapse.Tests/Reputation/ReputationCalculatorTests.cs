using Synapse.Flows.Graph;
using Synapse.Reputation;
using static Synapse.Testing.ReputationKit;

namespace Synapse.Tests.Reputation;

public sealed class ReputationCalculatorTests : IDisposable
{
    private readonly List<Party> _parties = [];
    private readonly List<DecisionRecord> _records = [];
    private readonly EvidenceSet _evidence = new();
    private readonly Party _subject;

    public ReputationCalculatorTests() => _subject = New();

    private static ReputationOptions Options => new() { AsOf = Now };

    public void Dispose() => DisposeAll(_parties);

    [Fact]
    public void No_evidence_gives_the_prior_one_half()
    {
        ReputationScore score = ReputationCalculator.Score(_subject.Id, _evidence, Options);
        Assert.Equal((0.5, 1.0, 1.0, 0), (score.Value, score.Alpha, score.Beta, score.Successes));
        Assert.Empty(score.Evidence);
    }

    [Fact]
    public void Successes_from_an_established_reporter_raise_the_score_and_failures_and_timeouts_lower_it()
    {
        Party reporter = Established();
        Report(reporter, ReputationReportKind.Success, 3);
        ReputationScore good = Score();
        Assert.Equal((0.8, 4.0, 3), (good.Value, good.Alpha, good.Successes));
        Assert.Equal(3 + (3 * 3), good.Evidence.Count); // 3 reports, 3 interactions of 3 records

        Report(reporter, ReputationReportKind.Failure, 2);
        Report(reporter, ReputationReportKind.Timeout, 1);
        ReputationScore mixed = Score();
        // 6 reports share C = 3: w = 0.5; α = 1 + 1.5, β = 1 + 1 + 0.25.
        Assert.Equal((2.5, 2.25, 0.526316), (mixed.Alpha, mixed.Beta, mixed.Value));
        Assert.Equal((3, 2, 1), (mixed.Successes, mixed.Failures, mixed.Timeouts));
    }

    [Fact]
    public void Reports_from_fresh_identities_weigh_little_or_nothing()
    {
        Party fresh = New();
        Report(fresh, ReputationReportKind.Success, 3);
        Assert.Equal(0.5, Score().Value);

        Party young = New();
        Interact(young, New(), _records);
        Report(young, ReputationReportKind.Success, 1);
        Assert.Equal(0.545455, Score().Value); // w = 1/5: 1.2 / 2.2
    }

    [Fact]
    public void A_sybil_ring_of_fresh_identities_cannot_lift_the_score()
    {
        Party[] ring = [.. Enumerable.Range(0, 8).Select(_ => New())];
        foreach (Party a in ring)
        {
            foreach (Party b in ring.Where(b => b != a))
            {
                Interact(a, b, _records);
            }

            Report(a, ReputationReportKind.Success, 10);
        }

        Party anchor = New();
        var anchored = new ReputationOptions { AsOf = Now, Anchors = [anchor.Id] };
        ReputationScore score = Score(anchored);
        Assert.Equal(0.5, score.Value);
        Assert.Equal(80, score.Successes);

        // Without anchors, N0 and C bound a ring of k: α ≤ 1 + k·C; a ring of 2 reaches only 1 + 2·3·(1/5).
        var pair = new EvidenceSet();
        var records = new List<DecisionRecord>();
        Party x = New(), y = New();
        Interact(x, y, records);
        foreach (Party p in new[] { x, y })
        {
            for (int i = 0; i < 10; i++)
            {
                pair.Add(ReputationReport.Sign(p.Identity, _subject.Id, ReputationReportKind.Success, Interact(p, _subject, records), Now));
            }
        }

        records.ForEach(r => pair.Add(r));
        Assert.Equal(0.6875, ReputationCalculator.Score(_subject.Id, pair, Options).Value);

        // An honest reporter who has dealt with anchored agents still counts in full.
        Party honest = New();
        foreach (Party peer in Enumerable.Range(0, 5).Select(_ => New()))
        {
            Interact(honest, peer, _records);
            Interact(peer, anchor, _records);
        }

        Report(honest, ReputationReportKind.Success, 1);
        Assert.Equal(0.666667, Score(anchored).Value);
    }

    [Fact]
    public void Forged_unsigned_uncited_self_and_future_reports_are_ignored_and_listed()
    {
        Party reporter = Established();
        Party stranger = Established();
        DecisionHash cited = Interact(reporter, _subject, _records);
        DecisionHash other = Interact(stranger, New(), _records);

        ReputationReport good = ReputationReport.Sign(reporter.Identity, _subject.Id, ReputationReportKind.Failure, cited, Now);
        byte[] forgedBytes = ReputationReport.Sign(reporter.Identity, _subject.Id, ReputationReportKind.Success, cited, Now.AddSeconds(-1)).Encoded.ToArray();
        forgedBytes[^1] ^= 1;
        ReputationReport forged = ReputationReport.Decode(forgedBytes);
        ReputationReport uncited = ReputationReport.Sign(stranger.Identity, _subject.Id, ReputationReportKind.Success, other, Now);
        ReputationReport notAParty = ReputationReport.Sign(stranger.Identity, _subject.Id, ReputationReportKind.Success, cited, Now);
        ReputationReport self = ReputationReport.Sign(_subject.Identity, _subject.Id, ReputationReportKind.Success, cited, Now);
        ReputationReport future = ReputationReport.Sign(reporter.Identity, _subject.Id, ReputationReportKind.Success, cited, Now.AddDays(1));
        foreach (ReputationReport r in new[] { good, forged, uncited, notAParty, self, future })
        {
            _evidence.Add(r);
        }

        ReputationScore score = Score();
        Assert.Equal((0, 1, 0.333333), (score.Successes, score.Failures, score.Value));
        Assert.Equal(
            new[] { (forged.Hash, "bad_signature"), (uncited.Hash, "uncited"), (notAParty.Hash, "uncited"), (self.Hash, "self_report"), (future.Hash, "future") }.OrderBy(p => p.Item1.ToString()),
            score.Rejected.Select(r => (r.Hash, r.Reason)).OrderBy(p => p.Item1.ToString()));
    }

    [Fact]
    public void A_later_report_on_the_same_interaction_supersedes_the_earlier()
    {
        Party reporter = Established();
        DecisionHash cited = Interact(reporter, _subject, _records);
        var first = ReputationReport.Sign(reporter.Identity, _subject.Id, ReputationReportKind.Success, cited, Now.AddHours(-2));
        var revised = ReputationReport.Sign(reporter.Identity, _subject.Id, ReputationReportKind.Failure, cited, Now.AddHours(-1));
        _evidence.Add(revised);
        _evidence.Add(first);

        ReputationScore score = Score();
        Assert.Equal((0, 1), (score.Successes, score.Failures));
        Assert.Equal(new RejectedEvidence(first.Hash, "superseded"), Assert.Single(score.Rejected));
    }

    [Fact]
    public void A_quarantine_by_a_trusted_relay_lowers_the_score_and_decays_after_it_ends()
    {
        using var relay = new Party();
        using var rogue = new Party();
        _evidence.Add(QuarantineAttestation.Sign(relay.Identity, _subject.Id, "rate_limit", Now.AddDays(-50), Now.AddDays(-45)));
        _evidence.Add(QuarantineAttestation.Sign(rogue.Identity, _subject.Id, "spite", Now.AddDays(-1), Now.AddDays(1)));
        var options = new ReputationOptions { AsOf = Now, TrustedRelays = [relay.Id] };

        ReputationScore score = Score(options);
        Assert.Equal(1, score.Quarantines);
        Assert.Equal(3.0, score.Beta); // 1 + 4 · (1 − 45/90)
        Assert.Equal(0.25, score.Value);
        Assert.Equal("untrusted_relay", Assert.Single(score.Rejected).Reason);

        Assert.Equal(0.5, Score(new ReputationOptions { AsOf = Now.AddDays(50), TrustedRelays = [relay.Id] }).Value);
    }

    [Fact]
    public void The_serialized_evidence_recomputes_the_identical_score()
    {
        using var relay = new Party();
        Party reporter = Established();
        Party young = New();
        Interact(young, New(), _records);
        Report(reporter, ReputationReportKind.Success, 4);
        Report(young, ReputationReportKind.Failure, 2);
        _evidence.Add(QuarantineAttestation.Sign(relay.Identity, _subject.Id, "abuse", Now.AddDays(-3), Now.AddDays(-2)));
        var options = new ReputationOptions { AsOf = Now, TrustedRelays = [relay.Id] };
        ReputationScore original = Score(options);

        byte[] wire = Build().Encode();
        EvidenceSet received = EvidenceSet.Decode(wire);
        ReputationScore recomputed = ReputationCalculator.Score(_subject.Id, received, options);
        Assert.Equal((original.Value, original.Alpha, original.Beta), (recomputed.Value, recomputed.Alpha, recomputed.Beta));
        Assert.Equal(original.Evidence, recomputed.Evidence);
        Assert.Equal(wire, received.Encode());
        Assert.NotEqual(0.5, original.Value);

        wire[^1] ^= 0xff;
        Assert.NotEqual(original.Value, ReputationCalculator.Score(_subject.Id, EvidenceSet.Decode(wire), options).Value);
        Assert.Throws<ReputationException>(() => EvidenceSet.Decode(wire.AsMemory(0, wire.Length - 10)));
        Assert.Throws<ReputationException>(() => EvidenceSet.Decode(new byte[] { 0x94, 0x02, 0x90, 0x90, 0x90 }));
    }

    [Fact]
    public void The_worked_example_of_the_docs_gives_its_numbers()
    {
        using var relay = new Party();
        Party carol = Established(), dave = New(), eve = New();
        Interact(dave, New(), _records);
        Report(carol, ReputationReportKind.Success, 3);
        Report(dave, ReputationReportKind.Failure, 1);
        Report(eve, ReputationReportKind.Failure, 10);
        var options = new ReputationOptions { AsOf = Now, TrustedRelays = [relay.Id] };
        Assert.Equal((4.0, 1.2, 0.769231), (Score(options).Alpha, Score(options).Beta, Score(options).Value));

        _evidence.Add(QuarantineAttestation.Sign(relay.Identity, _subject.Id, "abuse", Now.AddDays(-46), Now.AddDays(-45)));
        Assert.Equal((4.0, 3.2, 0.555556), (Score(options).Alpha, Score(options).Beta, Score(options).Value));
    }

    private Party New()
    {
        var party = new Party();
        _parties.Add(party);
        return party;
    }

    /// <summary>A reporter with interactions with N0 = 5 distinct other agents.</summary>
    private Party Established()
    {
        Party reporter = New();
        for (int i = 0; i < 5; i++)
        {
            Interact(reporter, New(), _records);
        }

        return reporter;
    }

    private void Report(Party reporter, ReputationReportKind kind, int count)
    {
        for (int i = 0; i < count; i++)
        {
            DecisionHash id = i % 2 == 0 ? Interact(reporter, _subject, _records) : Interact(_subject, reporter, _records);
            _evidence.Add(ReputationReport.Sign(reporter.Identity, _subject.Id, kind, id, Now.AddMinutes(-i)));
        }
    }

    private EvidenceSet Build()
    {
        _records.ForEach(r => _evidence.Add(r));
        return _evidence;
    }

    private ReputationScore Score(ReputationOptions? options = null) => ReputationCalculator.Score(_subject.Id, Build(), options ?? Options);
}
