using Synapse.Discovery;
using Synapse.Flows.Graph;
using Synapse.Reputation;
using static Synapse.Testing.ReputationKit;

namespace Synapse.Tests.Reputation;

public sealed class ReputationBookTests : IDisposable
{
    private readonly ReputationBook _book = new();
    private readonly ReputationOptions _options = new() { AsOf = Now };
    private readonly BookParties _parties;

    public ReputationBookTests() => _parties = new BookParties(_book);

    public void Dispose() => _parties.Dispose();

    private Party New() => _parties.New();

    private Party Established() => _parties.Established();

    private void Rate(Party reporter, Party subject, ReputationReportKind kind, int count) => _parties.Rate(reporter, subject, kind, count);

    [Fact]
    public void The_book_refuses_unverifiable_items_and_its_evidence_for_a_subject_rescores_identically()
    {
        Party good = New(), bad = New(), reporter = Established(), bystander = Established();
        Rate(reporter, good, ReputationReportKind.Success, 2);
        Rate(reporter, bad, ReputationReportKind.Failure, 2);
        Rate(bystander, bad, ReputationReportKind.Timeout, 1);
        byte[] forged = ReputationReport.Sign(reporter.Identity, bad.Id, ReputationReportKind.Success, DecisionHash.Zero, Now).Encoded.ToArray();
        forged[^3] ^= 1;
        Assert.False(_book.Add(ReputationReport.Decode(forged)));

        EvidenceSet forBad = _book.Evidence(bad.Id);
        Assert.True(forBad.Count < _book.Count);
        Assert.DoesNotContain(forBad.Reports, r => r.Subject == good.Id);
        ReputationScore fromBook = _book.Score(bad.Id, _options);
        ReputationScore fetched = ReputationCalculator.Score(bad.Id, EvidenceSet.Decode(forBad.Encode()), _options);
        Assert.Equal(fromBook.Value, fetched.Value);
        Assert.Equal(fromBook.Evidence, fetched.Evidence);
        Assert.Equal((0, 2, 1), (fetched.Successes, fetched.Failures, fetched.Timeouts));
        Assert.True(fetched.Value < 0.5);

        var other = new ReputationBook();
        Assert.Equal(forBad.Count, other.Import(forBad));
        Assert.Equal(fromBook.Value, other.Score(bad.Id, _options).Value);
    }

    [Fact]
    public void Cards_are_ordered_by_score_then_did_and_filtered_by_the_minimum()
    {
        Party good = New(), bad = New(), unknown = New(), alsoUnknown = New(), reporter = Established();
        Rate(reporter, good, ReputationReportKind.Success, 2);
        Rate(reporter, bad, ReputationReportKind.Failure, 1);
        AgentCard[] cards = [.. new[] { bad, unknown, good, alsoUnknown }.Select(p => Discovery.AgentCardTests.Card(p.Identity))];

        IReadOnlyList<RankedAgentCard> ranked = AgentCardRanking.Order(cards, _book, _options);
        string[] unknowns = [.. new[] { unknown, alsoUnknown }.Select(p => p.Id.ToString()).Order(StringComparer.Ordinal)];
        Assert.Equal([good.Id.ToString(), .. unknowns, bad.Id.ToString()], ranked.Select(r => r.Card.Agent.ToString()));
        Assert.Equal([0.75, 0.5, 0.5, 0.333333], ranked.Select(r => r.Score.Value));

        Assert.Equal([good.Id], AgentCardRanking.Order(cards, _book, _options, minScore: 0.6).Select(r => r.Card.Agent));
    }
}
