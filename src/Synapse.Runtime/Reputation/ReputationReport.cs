using System.Buffers;
using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Signing;

namespace Synapse.Reputation;

/// <summary>
/// A signed statement by one party of an <see cref="Interaction"/> about how the other party (the subject)
/// behaved in it. Stored and sent as <c>fields ‖ signature</c>: a canonical MessagePack array
/// <c>[1, subject key, reporter key, kind, interaction id, timestamp ms]</c> followed by the reporter's Ed25519
/// signature over <c>"synapse-reputation-report-v1" ‖ fields</c> (see <c>docs/reputation.md</c>).
/// A report counts only when the interaction it cites was signed by both the reporter and the subject.
/// </summary>
public sealed class ReputationReport
{
    /// <summary>The largest encoded report.</summary>
    public const int MaxEncodedSize = 512;

    private const int Version = 1;
    private const int FieldCount = 6;
    private const string What = "reputation report";

    private static readonly SignatureDomain Domain = SignedStatement.Domain("synapse-reputation-report-v1", MaxEncodedSize);

    private readonly byte[] _stored;

    private ReputationReport(AgentId subject, AgentId reporter, ReputationReportKind kind, DecisionHash interaction, DateTimeOffset timestamp, byte[] stored)
    {
        Subject = subject;
        Reporter = reporter;
        Kind = kind;
        Interaction = interaction;
        Timestamp = timestamp;
        _stored = stored;
        Hash = SignedStatement.Hash(Domain, stored);
    }

    /// <summary>The domain string prefixed to the signed and hashed bytes.</summary>
    public static ReadOnlySpan<byte> SignatureContext => Domain.Context;

    /// <summary>The agent the report is about.</summary>
    public AgentId Subject { get; }

    /// <summary>The agent that signed the report: the subject's counterparty in the interaction.</summary>
    public AgentId Reporter { get; }

    /// <summary>The reported outcome.</summary>
    public ReputationReportKind Kind { get; }

    /// <summary>The <see cref="Synapse.Reputation.Interaction.Id"/> the report is about.</summary>
    public DecisionHash Interaction { get; }

    /// <summary>When the report was signed, in whole milliseconds.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>SHA-256 of <c>"synapse-reputation-report-v1" ‖ fields</c>: the report's name in evidence lists.</summary>
    public DecisionHash Hash { get; }

    /// <summary>The stored form: fields followed by the 64-byte signature.</summary>
    public ReadOnlyMemory<byte> Encoded => _stored;

    /// <summary>Signs a report.</summary>
    /// <param name="reporter">The reporting party's identity.</param>
    /// <param name="subject">The other party of the interaction.</param>
    /// <param name="kind">The outcome.</param>
    /// <param name="interaction">The id of the interaction both parties signed.</param>
    /// <param name="timestamp">When the report is made (truncated to milliseconds).</param>
    /// <returns>The signed report.</returns>
    public static ReputationReport Sign(AgentIdentity reporter, AgentId subject, ReputationReportKind kind, DecisionHash interaction, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        if (subject.IsDefault || !Enum.IsDefined(kind) || timestamp.ToUnixTimeMilliseconds() < 0)
        {
            throw new ArgumentException("A report needs a subject, a defined kind and a timestamp after 1970.");
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(timestamp.ToUnixTimeMilliseconds());
        byte[] fields = SignedStatement.Encode(output => Write(output, subject, reporter.Id, kind, interaction, at));
        return new ReputationReport(subject, reporter.Id, kind, interaction, at, Domain.SignAppended(reporter, fields));
    }

    /// <summary>Decodes a report from <see cref="Encoded"/>. Does not check the signature.</summary>
    /// <param name="encoded">The stored form.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ReputationException">The bytes are not a canonical report.</exception>
    public static ReputationReport Decode(ReadOnlySpan<byte> encoded)
    {
        SignedStatement.CheckSize(encoded.Length, Domain, What);
        byte[] stored = encoded.ToArray();
        int fieldsLength = stored.Length - SignatureDomain.SignatureSize;
        ReputationReport report = SignedStatement.Decode(stored.AsMemory(0, fieldsLength), What, fields =>
        {
            var reader = new MsgPackReader(fields);
            if (reader.ReadArrayHeader() != FieldCount || reader.ReadInt32() != Version)
            {
                throw new ReputationException($"Malformed {What}: expected version {Version} with {FieldCount} fields.");
            }

            AgentId subject = AgentId.FromPublicKey(SignedStatement.ReadKey(ref reader, "subject"));
            AgentId reporter = AgentId.FromPublicKey(SignedStatement.ReadKey(ref reader, "reporter"));
            var kind = (ReputationReportKind)reader.ReadInt32();
            if (!Enum.IsDefined(kind))
            {
                throw new ReputationException($"Malformed {What}: unknown kind {(int)kind}.");
            }

            DecisionHash interaction = DecisionHash.FromBytes(SignedStatement.ReadKey(ref reader, "interaction"));
            DateTimeOffset at = SignedStatement.ReadTime(ref reader, "timestamp");
            return new ReputationReport(subject, reporter, kind, interaction, at, stored);
        });

        byte[] canonical = SignedStatement.Encode(o => Write(o, report.Subject, report.Reporter, report.Kind, report.Interaction, report.Timestamp));
        SignedStatement.CheckCanonical(canonical, SignatureDomain.BodyOf(stored), What);
        return report;
    }

    /// <summary>Whether the signature is <see cref="Reporter"/>'s.</summary>
    public bool VerifySignature() => Domain.CheckAppended(Reporter, _stored) == SignatureCheck.Valid;

    /// <summary>Shows the reporter, kind, subject and hash.</summary>
    public override string ToString() => $"ReputationReport({Reporter} says {Kind} of {Subject}, {Hash})";

    private static void Write(IBufferWriter<byte> output, AgentId subject, AgentId reporter, ReputationReportKind kind, DecisionHash interaction, DateTimeOffset at)
    {
        var writer = new MsgPackWriter(output);
        writer.WriteArrayHeader(FieldCount);
        writer.WriteInt32(Version);
        writer.WriteBinary(subject.PublicKey);
        writer.WriteBinary(reporter.PublicKey);
        writer.WriteInt32((int)kind);
        writer.WriteBinary(interaction.Bytes);
        writer.WriteInt64(at.ToUnixTimeMilliseconds());
        writer.Flush();
    }
}
