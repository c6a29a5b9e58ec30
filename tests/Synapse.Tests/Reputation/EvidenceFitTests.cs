using Synapse.Reputation;

namespace Synapse.Tests.Reputation;

/// <summary><see cref="EvidenceSet.Fit"/>: the largest prefix of a documented order that fits a byte budget.</summary>
public sealed class EvidenceFitTests : IDisposable
{
    // Fit bounds the three array headers at 5 bytes each; an encoded set uses 1 byte each while it holds under 16 items.
    private const int HeaderSlack = 12;

    private readonly EvidenceScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void A_set_that_fits_is_kept_whole()
    {
        EvidenceSet all = _scenario.Book.Evidence(_scenario.Subject.Id);

        EvidenceSet fitted = all.Fit(_scenario.Subject.Id, all.Encode().Length + HeaderSlack + 8);

        Assert.Equal(all.Count, fitted.Count);
        Assert.NotSame(all, fitted);
        Assert.Equal(all.Encode().Length, fitted.Encode().Length);
    }

    [Fact]
    public void Quarantines_come_first_then_each_report_by_hash_with_the_interaction_it_cites()
    {
        EvidenceSet all = _scenario.Book.Evidence(_scenario.Subject.Id);
        var quarantines = new EvidenceSet();
        all.Quarantines.ToList().ForEach(q => quarantines.Add(q));
        ReputationReport first = all.Reports.OrderBy(r => r.Hash.ToString(), StringComparer.Ordinal).First();
        var withFirstReport = new EvidenceSet();
        withFirstReport.AddRange(quarantines);
        withFirstReport.Add(first);
        if (Interaction.Find(all.Records).SingleOrDefault(i => i.Id == first.Interaction) is { } cited)
        {
            withFirstReport.Add(cited.Opening);
            withFirstReport.Add(cited.Response);
            withFirstReport.Add(cited.Closing);
        }

        int exact = withFirstReport.Encode().Length + HeaderSlack;

        Assert.Equal(Hashes(withFirstReport), Hashes(all.Fit(_scenario.Subject.Id, exact)));
        Assert.Equal(Hashes(quarantines), Hashes(all.Fit(_scenario.Subject.Id, exact - 1)));
        Assert.Equal(Hashes(quarantines), Hashes(all.Fit(_scenario.Subject.Id, quarantines.Encode().Length + HeaderSlack)));
        QuarantineAttestation kept = Assert.Single(all.Fit(_scenario.Subject.Id, quarantines.Encode().Length + HeaderSlack - 1).Quarantines);
        Assert.Equal(all.Quarantines.Select(q => q.Hash.ToString()).Order(StringComparer.Ordinal).First(), kept.Hash.ToString());
        Assert.Equal(0, all.Fit(_scenario.Subject.Id, 0).Count);
    }

    [Fact]
    public void Every_budget_gives_a_set_within_it_that_grows_with_the_budget()
    {
        EvidenceSet all = _scenario.Book.Evidence(_scenario.Subject.Id);
        int full = all.Encode().Length;
        string[] allHashes = Hashes(all);
        int previous = 0;
        for (int budget = 0; budget <= full + HeaderSlack; budget += 97)
        {
            EvidenceSet fitted = all.Fit(_scenario.Subject.Id, budget);

            Assert.True(fitted.Encode().Length <= budget || fitted.Count == 0, $"budget {budget}");
            Assert.True(fitted.Count >= previous, $"budget {budget}");
            Assert.Subset(allHashes.ToHashSet(), Hashes(fitted).ToHashSet());
            Assert.InRange(fitted.Fit(_scenario.Subject.Id, budget).Count, fitted.Count, fitted.Count);
            previous = fitted.Count;
        }

        Assert.Equal(all.Count, all.Fit(_scenario.Subject.Id, full + HeaderSlack).Count);
    }

    private static string[] Hashes(EvidenceSet set) =>
        [.. set.Records.Select(r => r.Hash.ToString()).Concat(set.Reports.Select(r => r.Hash.ToString())).Concat(set.Quarantines.Select(q => q.Hash.ToString())).Order(StringComparer.Ordinal)];
}
