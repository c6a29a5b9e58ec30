using System.Security.Cryptography;
using Synapse.Identity;
using Synapse.Signing;

namespace Synapse.Flows.Graph;

/// <summary>
/// One signed, immutable entry of an agent's decision graph: a flow transition, its place in the agent's chain
/// (<see cref="Sequence"/>, <see cref="Previous"/>) and its links to other agents' records (<see cref="CauseHash"/>,
/// <see cref="PeerRefs"/>). <see cref="Bytes"/> is the canonical encoding described in <c>docs/decision-graph.md</c>.
/// </summary>
/// <remarks>
/// A store (such as <c>DecisionGraph</c> in Synapse.Storage.Sqlite) keeps the chain: it picks the next sequence
/// number, the previous record's hash and the time, has <see cref="Sign"/> encode and sign the record, and later
/// reads it back with <see cref="Decode"/> and checks it with <see cref="VerifySignature"/>.
/// </remarks>
public sealed class DecisionRecord
{
    /// <summary>The version of the record encoding (field 0), which a store may keep to recognise its files.</summary>
    public const int Version = DecisionCodec.Version;

    private readonly DecisionBody _body;
    private readonly byte[] _bytes;

    private DecisionRecord(DecisionBody body, byte[] bytes, DecisionHash hash)
    {
        _body = body;
        _bytes = bytes;
        Hash = hash;
        StatesBefore = Array.AsReadOnly(body.StatesBefore);
        StatesAfter = Array.AsReadOnly(body.StatesAfter);
        PeerRefs = Array.AsReadOnly(body.PeerRefs);
    }

    /// <summary>The agent that made and signed the decision.</summary>
    public AgentId Agent => _body.Agent;

    /// <summary>The position in the agent's chain, from 1 with no gaps.</summary>
    public long Sequence => _body.Sequence;

    /// <summary>The <see cref="Hash"/> of the agent's previous record; <see cref="DecisionHash.Zero"/> for the first.</summary>
    public DecisionHash Previous => _body.Previous;

    /// <summary>When the record was appended, in whole milliseconds (UTC).</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(_body.TimestampMilliseconds);

    /// <summary>The route of the receiver, in its canonical text.</summary>
    public string Route => _body.Route;

    /// <summary>The states before the transition.</summary>
    public IReadOnlyList<string> StatesBefore { get; }

    /// <summary>The states after the transition.</summary>
    public IReadOnlyList<string> StatesAfter { get; }

    /// <summary>The trigger the receiver returned, or null.</summary>
    public string? Trigger => _body.Trigger;

    /// <summary>What the receiver did, one of <see cref="DecisionActions"/>.</summary>
    public string Action => _body.Action;

    /// <summary>The SHA-256 of the data the receiver acted on (32 bytes), or empty when none was recorded.</summary>
    public ReadOnlyMemory<byte> DataDigest => _body.DataDigest;

    /// <summary>The id of the message that caused the transition, or null.</summary>
    public Guid? CauseMessageId => _body.CauseMessageId;

    /// <summary>The sender's record hash carried by the causing message, or null.</summary>
    public DecisionHash? CauseHash => _body.CauseHash;

    /// <summary>Hashes of peer records this decision depends on.</summary>
    public IReadOnlyList<DecisionHash> PeerRefs { get; }

    /// <summary>The Ed25519 signature (64 bytes) over <c>"synapse-decision-v1"</c> ‖ the encoded fields.</summary>
    public ReadOnlyMemory<byte> Signature => _bytes.AsMemory(_bytes.Length - SignatureDomain.SignatureSize);

    /// <summary>SHA-256 of <c>"synapse-decision-v1"</c> ‖ the encoded fields: the name other records link to.</summary>
    public DecisionHash Hash { get; }

    /// <summary>The stored form: the canonical encoding of the fields followed by the signature.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The hashes this record links to in other agents' graphs: the cause hash, then the peer references.</summary>
    public IEnumerable<DecisionHash> CrossLinks => _body.CauseHash is { } cause ? [cause, .. _body.PeerRefs] : _body.PeerRefs;

    /// <summary>Decodes a record from its stored form (<see cref="Bytes"/>). Does not check the signature.</summary>
    /// <param name="bytes">The encoded fields followed by the 64-byte signature.</param>
    /// <returns>The record.</returns>
    /// <exception cref="DecisionGraphException">The bytes are not a canonical record within <see cref="DecisionLimits"/>;
    /// the message says why.</exception>
    public static DecisionRecord Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > DecisionLimits.MaxRecordSize)
        {
            throw new DecisionGraphException($"Malformed decision record: {bytes.Length} bytes; at most {DecisionLimits.MaxRecordSize} are allowed.");
        }

        if (bytes.Length <= SignatureDomain.SignatureSize)
        {
            throw new DecisionGraphException($"Malformed decision record: {bytes.Length} bytes is too short to hold the fields and a {SignatureDomain.SignatureSize}-byte signature.");
        }

        byte[] copy = bytes.ToArray();
        ReadOnlyMemory<byte> body = copy.AsMemory(0, copy.Length - SignatureDomain.SignatureSize);
        return new DecisionRecord(DecisionCodec.ReadBody(body), copy, DecisionCodec.Hash(body.Span));
    }

    /// <summary>Whether <see cref="Signature"/> is <see cref="Agent"/>'s signature of this record.</summary>
    public bool VerifySignature() => DecisionCodec.Domain.CheckAppended(Agent, _bytes) == SignatureCheck.Valid;

    /// <summary>Shows the agent, sequence, route, action and hash.</summary>
    public override string ToString() => $"DecisionRecord({Agent} #{Sequence} {Route} {Action} {Hash})";

    /// <summary>
    /// Encodes and signs a new record of <paramref name="identity"/>'s agent at a given place in its chain: what a
    /// store does when it appends <paramref name="draft"/>. The store is responsible for the chain itself (no gaps,
    /// <paramref name="previous"/> the hash of record <paramref name="sequence"/> − 1, times that do not go back).
    /// </summary>
    /// <param name="identity">The agent, which signs.</param>
    /// <param name="draft">The transition; its <see cref="DecisionDraft.Data"/> is kept as its SHA-256.</param>
    /// <param name="sequence">The position in the agent's chain, from 1.</param>
    /// <param name="previous">The <see cref="Hash"/> of the agent's previous record; <see cref="DecisionHash.Zero"/> for the first.</param>
    /// <param name="timestamp">When the record is appended (kept to the millisecond).</param>
    /// <returns>The signed record.</returns>
    /// <exception cref="ArgumentException">A field of the draft breaks a rule or a <see cref="DecisionLimits"/> bound,
    /// or <paramref name="sequence"/> is below 1.</exception>
    public static DecisionRecord Sign(AgentIdentity identity, DecisionDraft draft, long sequence, DecisionHash previous, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Prepare(identity.Id, draft, sequence, previous, timestamp).Sign(identity);
    }

    /// <summary>
    /// Encodes a new record of <paramref name="agent"/> at a given place in its chain without signing it yet: its
    /// <see cref="UnsignedDecision.Hash"/> is already final (the hash does not cover the signature), so a store can
    /// chain the next record at once and sign this one later, or on another thread. The rules of
    /// <see cref="Sign(AgentIdentity, DecisionDraft, long, DecisionHash, DateTimeOffset)"/> apply.
    /// </summary>
    /// <param name="agent">The agent whose chain it is; the record must be signed with that agent's identity.</param>
    /// <param name="draft">The transition; its <see cref="DecisionDraft.Data"/> is kept as its SHA-256.</param>
    /// <param name="sequence">The position in the agent's chain, from 1.</param>
    /// <param name="previous">The <see cref="Hash"/> of the agent's previous record; <see cref="DecisionHash.Zero"/> for the first.</param>
    /// <param name="timestamp">When the record is appended (kept to the millisecond).</param>
    /// <returns>The encoded, hashed record, waiting for its signature.</returns>
    /// <exception cref="ArgumentException">A field of the draft breaks a rule or a <see cref="DecisionLimits"/> bound,
    /// or <paramref name="sequence"/> is below 1.</exception>
    public static UnsignedDecision Prepare(AgentId agent, DecisionDraft draft, long sequence, DecisionHash previous, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var body = new DecisionBody
        {
            Agent = agent,
            Sequence = sequence,
            Previous = previous,
            TimestampMilliseconds = timestamp.ToUnixTimeMilliseconds(),
            Route = draft.Route,
            StatesBefore = [.. draft.StatesBefore ?? []],
            StatesAfter = [.. draft.StatesAfter ?? []],
            Trigger = draft.Trigger,
            Action = draft.Action,
            DataDigest = draft.Data is { } data ? SHA256.HashData(data.Span) : [],
            CauseMessageId = draft.CauseMessageId,
            CauseHash = draft.CauseHash,
            PeerRefs = [.. draft.PeerRefs ?? []],
        };
        DecisionCodec.Validate(body, static (message, inner) => new ArgumentException($"Invalid decision draft: {message}.", nameof(draft), inner));
        var (message, hash) = DecisionCodec.Encode(body);
        return new UnsignedDecision(body, message, hash);
    }

    /// <summary>Signs an encoded record (see <see cref="UnsignedDecision.Sign"/>).</summary>
    internal static DecisionRecord FromEncoded(DecisionBody body, ReadOnlySpan<byte> message, DecisionHash hash, AgentIdentity identity) =>
        new(body, DecisionCodec.SignEncoded(message, identity), hash);

    /// <summary>Encodes and signs a new record.</summary>
    internal static DecisionRecord Create(DecisionBody body, AgentIdentity identity)
    {
        var (stored, hash) = DecisionCodec.Sign(body, identity);
        return new DecisionRecord(body, stored, hash);
    }
}
