using Synapse.Fuzz.Tests.Engine;
using Synapse.Reputation;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>Reading one report: <see cref="ReputationReport.Decode"/>, then its signature check.</summary>
public sealed class ReputationReportTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "reputation-report";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds() =>
        [ReputationEvidence.Report(ReputationReportKind.Failure).Encoded.ToArray(), ReputationEvidence.Report(ReputationReportKind.Success).Encoded.ToArray()];

    /// <inheritdoc />
    public override void Run(byte[] input) => ReputationReport.Decode(input).VerifySignature();

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is ReputationException;
}
