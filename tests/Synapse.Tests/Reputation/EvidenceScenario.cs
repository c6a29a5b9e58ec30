using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.Reputation;
using static Synapse.Tests.Reputation.ReputationKit;

namespace Synapse.Tests.Reputation;

/// <summary>
/// A book holding evidence about <see cref="Subject"/>: three successes from an established reporter, a failure from
/// an established bystander, a report citing no interaction (refused as <c>uncited</c>), a quarantine by
/// <see cref="TrustedRelay"/> that ended 45 days before <see cref="ReputationKit.Now"/>, one by an untrusted relay, and
/// evidence about another agent. Shared with the CLI tests.
/// </summary>
internal sealed class EvidenceScenario : IDisposable
{
    private readonly List<Party> _parties = [];

    public EvidenceScenario()
    {
        Subject = New();
        Reporter = Established();
        Bystander = Established();
        Rate(Reporter, Subject, ReputationReportKind.Success, 3);
        Rate(Bystander, Subject, ReputationReportKind.Failure, 1);
        Rate(Reporter, New(), ReputationReportKind.Failure, 1);
        Uncited = ReputationReport.Sign(Reporter.Identity, Subject.Id, ReputationReportKind.Failure, DecisionHash.Zero, Now);
        Add(Book.Add(Uncited));
        Add(Book.Add(QuarantineAttestation.Sign(TrustedRelay, Subject.Id, "rate_limit", Now.AddDays(-46), Now.AddDays(-45))));
        Add(Book.Add(QuarantineAttestation.Sign(UntrustedRelay, Subject.Id, "spam", Now.AddDays(-2), Now.AddDays(-1))));
    }

    public ReputationBook Book { get; } = new();

    public Party Subject { get; }

    public Party Reporter { get; }

    public Party Bystander { get; }

    public AgentIdentity TrustedRelay { get; } = AgentIdentity.Generate();

    public AgentIdentity UntrustedRelay { get; } = AgentIdentity.Generate();

    public ReputationReport Uncited { get; }

    /// <summary><see cref="ReputationKit.Now"/>, trusting <see cref="TrustedRelay"/>.</summary>
    public ReputationOptions Options => new() { AsOf = Now, TrustedRelays = [TrustedRelay.Id] };

    public void Dispose()
    {
        DisposeAll(_parties);
        TrustedRelay.Dispose();
        UntrustedRelay.Dispose();
    }

    private static void Add(bool added)
    {
        if (!added)
        {
            throw new InvalidOperationException("the book refused scenario evidence");
        }
    }

    private Party New()
    {
        var party = new Party();
        _parties.Add(party);
        return party;
    }

    private Party Established()
    {
        Party reporter = New();
        for (int i = 0; i < 5; i++)
        {
            AddAll(reporter, New());
        }

        return reporter;
    }

    private DecisionHash AddAll(Party initiator, Party responder)
    {
        var records = new List<DecisionRecord>();
        DecisionHash id = Interact(initiator, responder, records);
        records.ForEach(r => Add(Book.Add(r)));
        return id;
    }

    private void Rate(Party reporter, Party subject, ReputationReportKind kind, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Add(Book.Add(ReputationReport.Sign(reporter.Identity, subject.Id, kind, AddAll(reporter, subject), Now)));
        }
    }
}
