using System.Buffers;
using System.Text;
using Synapse.Crypto;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Signing;

namespace Synapse.Flows.Graph;

/// <summary>
/// The canonical encoding of a decision record (see <c>docs/decision-graph.md</c>): a MessagePack array of
/// <see cref="FieldCount"/> fields in fixed order, smallest encodings only, followed by the 64-byte signature.
/// The hash and the signature cover the context of <see cref="Domain"/> ‖ the array.
/// </summary>
internal static class DecisionCodec
{
    /// <summary>The format version, field 0.</summary>
    public const int Version = 1;

    /// <summary>The number of fields in the array.</summary>
    public const int FieldCount = 14;

    /// <summary>The signature domain: <c>"synapse-decision-v1"</c> prefixes the hashed and signed bytes.</summary>
    public static SignatureDomain Domain { get; } = new("synapse-decision-v1", DecisionLimits.MaxRecordSize - SignatureDomain.SignatureSize);

    private const int GuidSize = 16;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes the array of fields.</summary>
    public static void WriteBody(IBufferWriter<byte> output, DecisionBody body)
    {
        var writer = new MsgPackWriter(output);
        writer.WriteArrayHeader(FieldCount);
        writer.WriteInt32(Version);
        writer.WriteBinary(body.Agent.PublicKey);
        writer.WriteInt64(body.Sequence);
        writer.WriteBinary(body.Previous.Bytes);
        writer.WriteInt64(body.TimestampMilliseconds);
        writer.WriteString(body.Route);
        WriteStrings(ref writer, body.StatesBefore);
        WriteStrings(ref writer, body.StatesAfter);
        writer.WriteString(body.Trigger);
        writer.WriteString(body.Action);
        writer.WriteBinary(body.DataDigest);
        if (body.CauseMessageId is { } id)
        {
            Span<byte> guid = stackalloc byte[GuidSize];
            id.TryWriteBytes(guid, bigEndian: true, out _);
            writer.WriteBinary(guid);
        }
        else
        {
            writer.WriteNil();
        }

        if (body.CauseHash is { } cause)
        {
            writer.WriteBinary(cause.Bytes);
        }
        else
        {
            writer.WriteNil();
        }

        writer.WriteArrayHeader(body.PeerRefs.Length);
        foreach (DecisionHash peer in body.PeerRefs)
        {
            writer.WriteBinary(peer.Bytes);
        }

        writer.Flush();
    }

    /// <summary>Encodes and signs <paramref name="body"/>: returns the stored bytes (array ‖ signature) and the hash.</summary>
    public static (byte[] Stored, DecisionHash Hash) Sign(DecisionBody body, AgentIdentity identity)
    {
        var (message, hash) = Encode(body);
        return (SignEncoded(message, identity), hash);
    }

    /// <summary>
    /// Encodes <paramref name="body"/> behind the domain's context and hashes it: the hash does not cover the
    /// signature, so a chain can go on before the record is signed (<see cref="SignEncoded"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The record would be over <see cref="DecisionLimits.MaxRecordSize"/>.</exception>
    public static (byte[] Message, DecisionHash Hash) Encode(DecisionBody body)
    {
        var signed = new ArrayBufferWriter<byte>(256);
        signed.Write(Domain.Context);
        WriteBody(signed, body);
        ReadOnlySpan<byte> message = signed.WrittenSpan;
        int bodyLength = message.Length - Domain.Context.Length;
        if (bodyLength + SignatureDomain.SignatureSize > DecisionLimits.MaxRecordSize)
        {
            throw new ArgumentException($"The record would be {bodyLength + SignatureDomain.SignatureSize} bytes; at most {DecisionLimits.MaxRecordSize} are allowed.");
        }

        return (message.ToArray(), DecisionHash.Compute(message));
    }

    /// <summary>Signs a message from <see cref="Encode"/>: returns the stored bytes (array ‖ signature).</summary>
    public static byte[] SignEncoded(ReadOnlySpan<byte> message, AgentIdentity identity)
    {
        int bodyLength = message.Length - Domain.Context.Length;
        var stored = new byte[bodyLength + SignatureDomain.SignatureSize];
        message[Domain.Context.Length..].CopyTo(stored);
        Domain.SignMessage(identity, message, stored.AsSpan(bodyLength));
        return stored;
    }

    /// <summary>The hash of a record whose array is <paramref name="body"/>.</summary>
    public static DecisionHash Hash(ReadOnlySpan<byte> body) => DecisionHash.FromBytes(Domain.Hash(body));

    /// <summary>Decodes the array of fields, refusing anything but the canonical encoding of valid fields.</summary>
    /// <exception cref="DecisionGraphException">The bytes are not a canonical record body; the message says why.</exception>
    public static DecisionBody ReadBody(ReadOnlyMemory<byte> bytes)
    {
        DecisionBody body;
        try
        {
            body = ReadFields(bytes);
        }
        catch (MsgPackException e)
        {
            throw Malformed($"not a valid record encoding: {e.Message}", e);
        }

        Validate(body, Malformed);
        var canonical = new ArrayBufferWriter<byte>(bytes.Length);
        WriteBody(canonical, body);
        if (!canonical.WrittenSpan.SequenceEqual(bytes.Span))
        {
            throw Malformed("the record is not in canonical form (an encoding is not the smallest, or bytes follow the fields)");
        }

        return body;
    }

    /// <summary>Checks the limits and field rules shared by drafts and decoded records.</summary>
    public static void Validate(DecisionBody body, Func<string, Exception?, Exception> fail)
    {
        if (body.Sequence < 1)
        {
            throw fail($"the sequence number {body.Sequence} is below 1", null);
        }

        if (body.TimestampMilliseconds < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || body.TimestampMilliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            throw fail($"the timestamp {body.TimestampMilliseconds} ms is out of range", null);
        }

        CheckText(body.Route, "route", fail, allowEmpty: false);
        CheckText(body.Action, "action", fail, allowEmpty: false);
        if (body.Trigger is not null)
        {
            CheckText(body.Trigger, "trigger", fail, allowEmpty: true);
        }

        CheckStates(body.StatesBefore, "states before", fail);
        CheckStates(body.StatesAfter, "states after", fail);
        if (body.DataDigest.Length is not (0 or 32))
        {
            throw fail($"the data digest is {body.DataDigest.Length} bytes, not 0 or 32", null);
        }

        if (body.PeerRefs.Length > DecisionLimits.MaxPeerRefs)
        {
            throw fail($"{body.PeerRefs.Length} peer references; at most {DecisionLimits.MaxPeerRefs} are allowed", null);
        }
    }

    private static DecisionBody ReadFields(ReadOnlyMemory<byte> bytes)
    {
        var reader = new MsgPackReader(bytes);
        int count = reader.ReadArrayHeader();
        if (count != FieldCount)
        {
            throw Malformed($"the record has {count} fields, not {FieldCount}");
        }

        long version = reader.ReadInt64();
        if (version != Version)
        {
            throw Malformed($"record format version {version} is not supported (expected {Version})");
        }

        var agent = AgentId.FromPublicKey(ReadFixed(ref reader, Ed25519.PublicKeySize, "agent key"));
        long sequence = reader.ReadInt64();
        var previous = DecisionHash.FromBytes(ReadFixed(ref reader, DecisionHash.Size, "previous hash"));
        long timestamp = reader.ReadInt64();
        string route = reader.ReadString();
        string[] before = ReadStrings(ref reader, "states before");
        string[] after = ReadStrings(ref reader, "states after");
        string? trigger = reader.ReadNullableString();
        string action = reader.ReadString();
        byte[] digest = reader.ReadBinary();
        Guid? causeId = reader.TryReadNil() ? null : new Guid(ReadFixed(ref reader, GuidSize, "cause message id"), bigEndian: true);
        DecisionHash? causeHash = reader.TryReadNil() ? null : DecisionHash.FromBytes(ReadFixed(ref reader, DecisionHash.Size, "cause hash"));
        int peers = reader.ReadArrayHeader();
        if (peers > DecisionLimits.MaxPeerRefs)
        {
            throw Malformed($"{peers} peer references; at most {DecisionLimits.MaxPeerRefs} are allowed");
        }

        var peerRefs = new DecisionHash[peers];
        for (int i = 0; i < peers; i++)
        {
            peerRefs[i] = DecisionHash.FromBytes(ReadFixed(ref reader, DecisionHash.Size, "peer reference"));
        }

        if (!reader.End)
        {
            throw Malformed($"{reader.Remaining} bytes follow the record's fields");
        }

        return new DecisionBody
        {
            Agent = agent,
            Sequence = sequence,
            Previous = previous,
            TimestampMilliseconds = timestamp,
            Route = route,
            StatesBefore = before,
            StatesAfter = after,
            Trigger = trigger,
            Action = action,
            DataDigest = digest,
            CauseMessageId = causeId,
            CauseHash = causeHash,
            PeerRefs = peerRefs,
        };
    }

    private static ReadOnlySpan<byte> ReadFixed(ref MsgPackReader reader, int size, string what)
    {
        ReadOnlySequence<byte> bytes = reader.ReadBinarySequence();
        if (bytes.Length != size)
        {
            throw Malformed($"the {what} is {bytes.Length} bytes, not {size}");
        }

        return bytes.IsSingleSegment ? bytes.FirstSpan : bytes.ToArray();
    }

    private static string[] ReadStrings(ref MsgPackReader reader, string what)
    {
        int count = reader.ReadArrayHeader();
        if (count > DecisionLimits.MaxStates)
        {
            throw Malformed($"{count} {what}; at most {DecisionLimits.MaxStates} are allowed");
        }

        var states = new string[count];
        for (int i = 0; i < count; i++)
        {
            states[i] = reader.ReadString();
        }

        return states;
    }

    private static void WriteStrings(ref MsgPackWriter writer, string[] values)
    {
        writer.WriteArrayHeader(values.Length);
        foreach (string value in values)
        {
            writer.WriteString(value);
        }
    }

    private static void CheckStates(string[] states, string what, Func<string, Exception?, Exception> fail)
    {
        if (states.Length > DecisionLimits.MaxStates)
        {
            throw fail($"{states.Length} {what}; at most {DecisionLimits.MaxStates} are allowed", null);
        }

        foreach (string state in states)
        {
            CheckText(state, $"a state in {what}", fail, allowEmpty: false);
        }
    }

    private static void CheckText(string? text, string what, Func<string, Exception?, Exception> fail, bool allowEmpty)
    {
        if (text is null)
        {
            throw fail($"the {what} is null", null);
        }

        if (text.Length == 0 && !allowEmpty)
        {
            throw fail($"the {what} is empty", null);
        }

        int length;
        try
        {
            length = StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw fail($"the {what} is not valid Unicode (an unpaired surrogate)", e);
        }

        if (length > DecisionLimits.MaxTextLength)
        {
            throw fail($"the {what} is {length} UTF-8 bytes; at most {DecisionLimits.MaxTextLength} are allowed", null);
        }
    }

    private static DecisionGraphException Malformed(string detail) => new("Malformed decision record: " + detail + ".");

    private static Exception Malformed(string detail, Exception? inner) => new DecisionGraphException("Malformed decision record: " + detail + ".", inner);
}
