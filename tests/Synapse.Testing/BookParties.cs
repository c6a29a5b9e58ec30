using Synapse.Flows.Graph;
using Synapse.Reputation;
using static Synapse.Testing.ReputationKit;

namespace Synapse.Testing;

/// <summary>
/// Parties whose counter-signed interactions and reports go into <paramref name="book"/>; a refusal by the book
/// throws, so a scenario never silently holds less than it says. Disposes the parties it made.
/// </summary>
internal sealed class BookParties(ReputationBook book) : IDisposable
{
    private readonly List<Party> _parties = [];

    /// <summary>A fresh party, without history.</summary>
    public Party New()
    {
        var party = new Party();
        _parties.Add(party);
        return party;
    }

    /// <summary>A party with interactions with N0 = 5 distinct fresh agents: full credibility.</summary>
    public Party Established()
    {
        Party reporter = New();
        for (int i = 0; i < 5; i++)
        {
            AddAll(reporter, New());
        }

        return reporter;
    }

    /// <summary>Records an interaction's three records; returns its id.</summary>
    public DecisionHash AddAll(Party initiator, Party responder)
    {
        var records = new List<DecisionRecord>();
        DecisionHash id = Interact(initiator, responder, records);
        records.ForEach(r => Added(book.Add(r)));
        return id;
    }

    /// <summary><paramref name="count"/> interactions of the reporter with the subject, each with a report of <paramref name="kind"/>.</summary>
    public void Rate(Party reporter, Party subject, ReputationReportKind kind, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Added(book.Add(ReputationReport.Sign(reporter.Identity, subject.Id, kind, AddAll(reporter, subject), Now)));
        }
    }

    /// <summary>Fails when the book refused an item.</summary>
    public static void Added(bool added)
    {
        if (!added)
        {
            throw new InvalidOperationException("the book refused evidence the scenario made");
        }
    }

    public void Dispose() => DisposeAll(_parties);
}
