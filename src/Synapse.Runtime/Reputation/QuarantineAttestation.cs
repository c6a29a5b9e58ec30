using System.Buffers;
using System.Text;
using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Signing;

namespace Synapse.Reputation;

/// <summary>
/// A relay's signed statement that it quarantined an agent from <see cref="From"/> to <see cref="Until"/>.
/// Stored as <c>fields ‖ signature</c>: a canonical MessagePack array
/// <c>[1, relay key, subject key, reason, from ms, until ms]</c> followed by the relay's Ed25519 signature over
/// <c>"synapse-quarantine-v1" ‖ fields</c>. It counts only when the relay is one the scorer trusts
/// (<see cref="ReputationOptions.TrustedRelays"/>).
/// </summary>
public sealed class QuarantineAttestation
{
    /// <summary>The largest encoded attestation.</summary>
    public const int MaxEncodedSize = 1024;

    /// <summary>The longest reason, in UTF-8 bytes.</summary>
    public const int MaxReasonLength = 256;

    private const int Version = 1;
    private const int FieldCount = 6;
    private const string What = "quarantine attestation";

    private static readonly SignatureDomain Domain = SignedStatement.Domain("synapse-quarantine-v1", MaxEncodedSize);

    private readonly byte[] _stored;

    private QuarantineAttestation(AgentId relay, AgentId subject, string reason, DateTimeOffset from, DateTimeOffset until, byte[] stored)
    {
        Relay = relay;
        Subject = subject;
        Reason = reason;
        From = from;
        Until = until;
        _stored = stored;
        Hash = SignedStatement.Hash(Domain, stored);
    }

    /// <summary>The domain string prefixed to the signed and hashed bytes.</summary>
    public static ReadOnlySpan<byte> SignatureContext => Domain.Context;

    /// <summary>The relay that quarantined the agent and signed this.</summary>
    public AgentId Relay { get; }

    /// <summary>The quarantined agent.</summary>
    public AgentId Subject { get; }

    /// <summary>Why (the relay's code, e.g. <c>"rate_limit"</c>).</summary>
    public string Reason { get; }

    /// <summary>Start of the quarantine.</summary>
    public DateTimeOffset From { get; }

    /// <summary>End of the quarantine.</summary>
    public DateTimeOffset Until { get; }

    /// <summary>SHA-256 of <c>"synapse-quarantine-v1" ‖ fields</c>.</summary>
    public DecisionHash Hash { get; }

    /// <summary>The stored form: fields followed by the 64-byte signature.</summary>
    public ReadOnlyMemory<byte> Encoded => _stored;

    /// <summary>Signs an attestation with the relay's identity.</summary>
    /// <param name="relay">The relay's identity.</param>
    /// <param name="subject">The quarantined agent.</param>
    /// <param name="reason">Why, at most <see cref="MaxReasonLength"/> UTF-8 bytes.</param>
    /// <param name="from">Start (truncated to milliseconds).</param>
    /// <param name="until">End, not before <paramref name="from"/> (truncated to milliseconds).</param>
    /// <returns>The signed attestation.</returns>
    public static QuarantineAttestation Sign(AgentIdentity relay, AgentId subject, string reason, DateTimeOffset from, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(reason);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(from.ToUnixTimeMilliseconds());
        var end = DateTimeOffset.FromUnixTimeMilliseconds(until.ToUnixTimeMilliseconds());
        if (subject.IsDefault || Encoding.UTF8.GetByteCount(reason) > MaxReasonLength || end < start || start.ToUnixTimeMilliseconds() < 0)
        {
            throw new ArgumentException($"A quarantine needs a subject, a reason of at most {MaxReasonLength} bytes and from ≤ until after 1970.");
        }

        byte[] fields = SignedStatement.Encode(o => Write(o, relay.Id, subject, reason, start, end));
        return new QuarantineAttestation(relay.Id, subject, reason, start, end, Domain.SignAppended(relay, fields));
    }

    /// <summary>Decodes an attestation from <see cref="Encoded"/>. Does not check the signature.</summary>
    /// <param name="encoded">The stored form.</param>
    /// <returns>The attestation.</returns>
    /// <exception cref="ReputationException">The bytes are not a canonical attestation.</exception>
    public static QuarantineAttestation Decode(ReadOnlySpan<byte> encoded)
    {
        SignedStatement.CheckSize(encoded.Length, Domain, What);
        byte[] stored = encoded.ToArray();
        int fieldsLength = stored.Length - SignatureDomain.SignatureSize;
        QuarantineAttestation attestation = SignedStatement.Decode(stored.AsMemory(0, fieldsLength), What, fields =>
        {
            var reader = new MsgPackReader(fields);
            if (reader.ReadArrayHeader() != FieldCount || reader.ReadInt32() != Version)
            {
                throw new ReputationException($"Malformed {What}: expected version {Version} with {FieldCount} fields.");
            }

            AgentId relay = AgentId.FromPublicKey(SignedStatement.ReadKey(ref reader, "relay"));
            AgentId subject = AgentId.FromPublicKey(SignedStatement.ReadKey(ref reader, "subject"));
            string reason = reader.ReadString();
            DateTimeOffset from = SignedStatement.ReadTime(ref reader, "start");
            DateTimeOffset until = SignedStatement.ReadTime(ref reader, "end");
            if (Encoding.UTF8.GetByteCount(reason) > MaxReasonLength || until < from)
            {
                throw new ReputationException($"Malformed {What}: the reason is too long or the end precedes the start.");
            }

            return new QuarantineAttestation(relay, subject, reason, from, until, stored);
        });

        byte[] canonical = SignedStatement.Encode(o => Write(o, attestation.Relay, attestation.Subject, attestation.Reason, attestation.From, attestation.Until));
        SignedStatement.CheckCanonical(canonical, SignatureDomain.BodyOf(stored), What);
        return attestation;
    }

    /// <summary>Whether the signature is <see cref="Relay"/>'s.</summary>
    public bool VerifySignature() => Domain.CheckAppended(Relay, _stored) == SignatureCheck.Valid;

    /// <summary>Shows the relay, subject, period and hash.</summary>
    public override string ToString() => $"QuarantineAttestation({Relay} quarantined {Subject} {From:O}..{Until:O}, {Hash})";

    private static void Write(IBufferWriter<byte> output, AgentId relay, AgentId subject, string reason, DateTimeOffset from, DateTimeOffset until)
    {
        var writer = new MsgPackWriter(output);
        writer.WriteArrayHeader(FieldCount);
        writer.WriteInt32(Version);
        writer.WriteBinary(relay.PublicKey);
        writer.WriteBinary(subject.PublicKey);
        writer.WriteString(reason);
        writer.WriteInt64(from.ToUnixTimeMilliseconds());
        writer.WriteInt64(until.ToUnixTimeMilliseconds());
        writer.Flush();
    }
}
