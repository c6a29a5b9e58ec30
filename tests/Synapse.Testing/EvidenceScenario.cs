using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.Reputation;
using static Synapse.Testing.ReputationKit;

namespace Synapse.Testing;

/// <summary>
/// A book holding evidence about <see cref="Subject"/>: three successes from an established reporter, a failure from
/// an established bystander, a report citing no interaction (refused as <c>uncited</c>), a quarantine by
/// <see cref="TrustedRelay"/> that ended 45 days before <see cref="ReputationKit.Now"/>, one by an untrusted relay, and
/// evidence about another agent. Shared with the CLI tests.
/// </summary>
internal sealed class EvidenceScenario : IDisposable
{
    private readonly BookParties _parties;

    public EvidenceScenario()
    {
        _parties = new BookParties(Book);
        Subject = _parties.New();
        Reporter = _parties.Established();
        Bystander = _parties.Established();
        _parties.Rate(Reporter, Subject, ReputationReportKind.Success, 3);
        _parties.Rate(Bystander, Subject, ReputationReportKind.Failure, 1);
        _parties.Rate(Reporter, _parties.New(), ReputationReportKind.Failure, 1);
        Uncited = ReputationReport.Sign(Reporter.Identity, Subject.Id, ReputationReportKind.Failure, DecisionHash.Zero, Now);
        BookParties.Added(Book.Add(Uncited));
        BookParties.Added(Book.Add(QuarantineAttestation.Sign(TrustedRelay, Subject.Id, "rate_limit", Now.AddDays(-46), Now.AddDays(-45))));
        BookParties.Added(Book.Add(QuarantineAttestation.Sign(UntrustedRelay, Subject.Id, "spam", Now.AddDays(-2), Now.AddDays(-1))));
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
        _parties.Dispose();
        TrustedRelay.Dispose();
        UntrustedRelay.Dispose();
    }
}
