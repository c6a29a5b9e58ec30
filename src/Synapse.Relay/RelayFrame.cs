using System.Buffers;
using System.Buffers.Binary;
using Synapse.Discovery;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Relay;

/// <summary>The operations of the relay protocol, carried as the <c>op</c> field of each frame.</summary>
public enum RelayOp
{
    /// <summary>Agent → relay: route a sealed envelope (to an agent, or to a room when its recipient is a topic).</summary>
    Send,

    /// <summary>Agent → relay: join a room.</summary>
    Join,

    /// <summary>Agent → relay: leave a room.</summary>
    Leave,

    /// <summary>Agent → relay: the envelope with this id reached the agent (the relay may forget it).</summary>
    Received,

    /// <summary>Relay → agent: a sealed envelope for the agent or one of its rooms.</summary>
    Deliver,

    /// <summary>Relay → agent: the message with this id was delivered (direct) or fanned out (room).</summary>
    Ack,

    /// <summary>Relay → agent: the message with this id was refused; <see cref="RelayFrame.Error"/> says why.</summary>
    Nack,

    /// <summary>Relay → agent: the room was joined.</summary>
    Joined,

    /// <summary>Relay → agent: something about the link itself (throttled, flow-controlled, quarantined, idle…).</summary>
    Notice,

    /// <summary>Agent → relay: store the agent's signed card (<see cref="RelayFrame.Card"/>) in the relay's directory;
    /// answered by <see cref="Ack"/> or <see cref="Nack"/> with the frame's <see cref="RelayFrame.MessageId"/>.</summary>
    PublishCard,

    /// <summary>Agent → relay: search the directory (<see cref="RelayFrame.Query"/>); answered by <see cref="Found"/>
    /// (or <see cref="Nack"/>) with the frame's <see cref="RelayFrame.MessageId"/>.</summary>
    Find,

    /// <summary>Relay → agent: one page of cards (<see cref="RelayFrame.Cards"/>, <see cref="RelayFrame.NextPageToken"/>)
    /// answering the <see cref="Find"/> with the same id.</summary>
    Found,
}

/// <summary>
/// One frame of the relay protocol: a 4-byte big-endian length, then a MessagePack map with an <c>op</c> string and
/// the fields that operation uses (<c>env</c> bin, <c>id</c> bin 16, <c>ids</c> bin 16×n, <c>room</c> str, <c>error</c> str,
/// <c>message</c> str, <c>retry</c> bool; for discovery <c>card</c> bin, <c>cards</c> array of bin, <c>next</c> str, and the
/// query's <c>capability</c>, <c>role</c>, <c>name</c>, <c>text</c>, <c>page_token</c> str and <c>page_size</c> int).
/// Unknown fields are ignored so the protocol can grow.
/// </summary>
public readonly partial record struct RelayFrame
{
    /// <summary>The operation.</summary>
    public RelayOp Op { get; init; }

    /// <summary>A sealed envelope's encoding (<see cref="RelayOp.Send"/>, <see cref="RelayOp.Deliver"/>).</summary>
    public ReadOnlyMemory<byte> Envelope { get; init; }

    /// <summary>A message id (<see cref="RelayOp.Received"/>, <see cref="RelayOp.Ack"/>, <see cref="RelayOp.Nack"/>).</summary>
    public Guid MessageId { get; init; }

    /// <summary>
    /// Several message ids at once (<see cref="RelayOp.Received"/>, <see cref="RelayOp.Ack"/>): confirmations and
    /// acknowledgements are batched per read, so a busy link sends one control frame for many messages.
    /// </summary>
    public IReadOnlyList<Guid>? MessageIds { get; init; }

    /// <summary>The most ids one frame may carry.</summary>
    public const int MaxIdsPerFrame = 4096;

    /// <summary><see cref="MessageId"/> (when set) and every id of <see cref="MessageIds"/>.</summary>
    public IEnumerable<Guid> AllMessageIds()
    {
        if (MessageId != Guid.Empty)
        {
            yield return MessageId;
        }

        foreach (var id in MessageIds ?? [])
        {
            yield return id;
        }
    }

    /// <summary>A frame confirming or acknowledging <paramref name="ids"/>: one id in <c>id</c>, more in <c>ids</c>.</summary>
    public static byte[] ForIds(RelayOp op, IReadOnlyList<Guid> ids) => ids.Count == 1
        ? new RelayFrame { Op = op, MessageId = ids[0] }.Encode()
        : new RelayFrame { Op = op, MessageIds = ids }.Encode();

    /// <summary>A room name (<see cref="RelayOp.Join"/>, <see cref="RelayOp.Leave"/>, <see cref="RelayOp.Joined"/>).</summary>
    public string? Room { get; init; }

    /// <summary>A machine-readable code (<see cref="RelayOp.Nack"/>, <see cref="RelayOp.Notice"/>), e.g. <c>rate_limited</c>.</summary>
    public string? Error { get; init; }

    /// <summary>Words for people.</summary>
    public string? Message { get; init; }

    /// <summary>For a <see cref="RelayOp.Nack"/>: whether sending again later may succeed.</summary>
    public bool Retry { get; init; }

    /// <summary>An encoded agent card (<see cref="RelayOp.PublishCard"/>).</summary>
    public ReadOnlyMemory<byte> Card { get; init; }

    /// <summary>Encoded agent cards (<see cref="RelayOp.Found"/>), at most <see cref="MaxCardsPerFrame"/>.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Cards { get; init; }

    /// <summary>The most cards one frame may carry: a directory's largest page.</summary>
    public const int MaxCardsPerFrame = AgentQuery.MaxPageSize;

    /// <summary>Where the next page starts (<see cref="RelayOp.Found"/>); null on the last page.</summary>
    public string? NextPageToken { get; init; }

    /// <summary>The search (<see cref="RelayOp.Find"/>).</summary>
    public AgentQuery? Query { get; init; }

    /// <summary>Encodes the frame, length prefix included.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(64 + Envelope.Length + Card.Length);
        buffer.Advance(Frames.HeaderSize);
        var writer = new MsgPackWriter(buffer);
        var count = 1 + (Envelope.IsEmpty ? 0 : 1) + (MessageId == Guid.Empty ? 0 : 1) + (MessageIds is null ? 0 : 1) + (Room is null ? 0 : 1)
            + (Error is null ? 0 : 1) + (Message is null ? 0 : 1) + (Retry ? 1 : 0)
            + (Card.IsEmpty ? 0 : 1) + (Cards is null ? 0 : 1) + (NextPageToken is null ? 0 : 1) + QueryFieldCount(Query);
        writer.WriteMapHeader(count);
        writer.WriteStringUtf8("op"u8);
        writer.WriteStringUtf8(OpName(Op));
        if (!Envelope.IsEmpty)
        {
            writer.WriteStringUtf8("env"u8);
            writer.WriteBinary(Envelope.Span);
        }

        if (MessageId != Guid.Empty)
        {
            Span<byte> id = stackalloc byte[16];
            MessageId.TryWriteBytes(id, bigEndian: true, out _);
            writer.WriteStringUtf8("id"u8);
            writer.WriteBinary(id);
        }

        if (MessageIds is { } ids)
        {
            var bytes = new byte[ids.Count * 16];
            for (var i = 0; i < ids.Count; i++)
            {
                ids[i].TryWriteBytes(bytes.AsSpan(i * 16, 16), bigEndian: true, out _);
            }

            writer.WriteStringUtf8("ids"u8);
            writer.WriteBinary(bytes);
        }

        WriteOptional(ref writer, "room"u8, Room);
        WriteOptional(ref writer, "error"u8, Error);
        WriteOptional(ref writer, "message"u8, Message);
        if (Retry)
        {
            writer.WriteStringUtf8("retry"u8);
            writer.WriteBoolean(true);
        }

        WriteDiscovery(ref writer);

        writer.Flush();
        var frame = buffer.WrittenMemory.ToArray();
        Frames.WriteHeader(frame, frame.Length - Frames.HeaderSize);
        return frame;
    }

    /// <summary>Decodes a frame body (without its length prefix).</summary>
    /// <exception cref="RelayProtocolException">Not a relay frame: names what is wrong.</exception>
    public static RelayFrame Decode(ReadOnlySequence<byte> body)
    {
        try
        {
            var reader = new MsgPackReader(body, ReaderOptions);
            if (reader.NextType != MsgPackType.Map)
            {
                throw new RelayProtocolException($"a relay frame is a map, not {reader.NextType}");
            }

            var fields = reader.ReadMapHeader();
            RelayOp? op = null;
            var frame = new RelayFrame();
            for (var i = 0; i < fields; i++)
            {
                switch (ReadKnownString(ref reader))
                {
                    case "op":
                        op = ParseOp(ReadKnownString(ref reader, keepUnknown: true)!);
                        break;
                    case "env":
                        frame = frame with { Envelope = reader.ReadBinary() };
                        break;
                    case "id":
                        var id = reader.ReadBinary();
                        if (id.Length != 16)
                        {
                            throw new RelayProtocolException($"'id' must be 16 bytes, not {id.Length}");
                        }

                        frame = frame with { MessageId = new Guid(id, bigEndian: true) };
                        break;
                    case "ids":
                        frame = frame with { MessageIds = ReadIds(reader.ReadBinary()) };
                        break;
                    case "room":
                        frame = frame with { Room = reader.ReadString() };
                        break;
                    case "error":
                        frame = frame with { Error = reader.ReadString() };
                        break;
                    case "message":
                        frame = frame with { Message = reader.ReadString() };
                        break;
                    case "retry":
                        frame = frame with { Retry = reader.ReadBoolean() };
                        break;
                    case "card":
                        frame = frame with { Card = reader.ReadBinary() };
                        break;
                    case "cards":
                        frame = frame with { Cards = ReadCards(ref reader) };
                        break;
                    case "next":
                        frame = frame with { NextPageToken = reader.ReadString() };
                        break;
                    case "capability":
                        frame = frame with { Query = (frame.Query ?? new()) with { Capability = reader.ReadString() } };
                        break;
                    case "role":
                        frame = frame with { Query = (frame.Query ?? new()) with { Role = reader.ReadString() } };
                        break;
                    case "name":
                        frame = frame with { Query = (frame.Query ?? new()) with { Name = reader.ReadString() } };
                        break;
                    case "text":
                        frame = frame with { Query = (frame.Query ?? new()) with { Text = reader.ReadString() } };
                        break;
                    case "page_size":
                        frame = frame with { Query = (frame.Query ?? new()) with { PageSize = reader.ReadInt32() } };
                        break;
                    case "page_token":
                        frame = frame with { Query = (frame.Query ?? new()) with { PageToken = reader.ReadString() } };
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (!reader.End)
            {
                throw new RelayProtocolException("trailing bytes after the frame's map");
            }

            return frame with { Op = op ?? throw new RelayProtocolException("the frame has no 'op'") };
        }
        catch (MsgPackException e)
        {
            throw new RelayProtocolException($"malformed frame: {e.Message}");
        }
    }

    private static Guid[] ReadIds(byte[] bytes)
    {
        if (bytes.Length % 16 != 0 || bytes.Length / 16 > MaxIdsPerFrame)
        {
            throw new RelayProtocolException($"'ids' must hold 1 to {MaxIdsPerFrame} ids of 16 bytes, not {bytes.Length} bytes");
        }

        var ids = new Guid[bytes.Length / 16];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = new Guid(bytes.AsSpan(i * 16, 16), bigEndian: true);
        }

        return ids;
    }

    /// <summary>
    /// A <see cref="RelayOp.Deliver"/> frame for an encoded envelope, written in one exact-size array: the relay makes
    /// one for every message it routes. Same bytes as encoding <c>new RelayFrame { Op = Deliver, Envelope = … }</c>.
    /// </summary>
    public static byte[] EncodeDeliver(ReadOnlySpan<byte> envelope)
    {
        ReadOnlySpan<byte> prefix = [0x82, 0xA2, (byte)'o', (byte)'p', 0xA7, (byte)'d', (byte)'e', (byte)'l', (byte)'i', (byte)'v', (byte)'e', (byte)'r', 0xA3, (byte)'e', (byte)'n', (byte)'v'];
        var binHeader = envelope.Length <= byte.MaxValue ? 2 : envelope.Length <= ushort.MaxValue ? 3 : 5;
        var frame = new byte[Frames.HeaderSize + prefix.Length + binHeader + envelope.Length];
        Frames.WriteHeader(frame, frame.Length - Frames.HeaderSize);
        var at = Frames.HeaderSize;
        prefix.CopyTo(frame.AsSpan(at));
        at += prefix.Length;
        switch (binHeader)
        {
            case 2:
                frame[at] = 0xC4;
                frame[at + 1] = (byte)envelope.Length;
                break;
            case 3:
                frame[at] = 0xC5;
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at + 1), (ushort)envelope.Length);
                break;
            default:
                frame[at] = 0xC6;
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(at + 1), (uint)envelope.Length);
                break;
        }

        envelope.CopyTo(frame.AsSpan(at + binHeader));
        return frame;
    }

    /// <summary>A notice frame.</summary>
    public static byte[] Notice(string code, string message) => new RelayFrame { Op = RelayOp.Notice, Error = code, Message = message }.Encode();

    /// <summary>A refusal of message <paramref name="id"/>.</summary>
    public static byte[] Nack(Guid id, string code, string message, bool retry) =>
        new RelayFrame { Op = RelayOp.Nack, MessageId = id, Error = code, Message = message, Retry = retry }.Encode();

    private static void WriteOptional(ref MsgPackWriter writer, ReadOnlySpan<byte> key, string? value)
    {
        if (value is not null)
        {
            writer.WriteStringUtf8(key);
            writer.WriteString(value);
        }
    }

    private static ReadOnlySpan<byte> OpName(RelayOp op) => op switch
    {
        RelayOp.Send => "send"u8,
        RelayOp.Join => "join"u8,
        RelayOp.Leave => "leave"u8,
        RelayOp.Received => "received"u8,
        RelayOp.Deliver => "deliver"u8,
        RelayOp.Ack => "ack"u8,
        RelayOp.Nack => "nack"u8,
        RelayOp.Joined => "joined"u8,
        RelayOp.PublishCard => "publish_card"u8,
        RelayOp.Find => "find"u8,
        RelayOp.Found => "found"u8,
        _ => "notice"u8,
    };

    private static readonly MsgPackReaderOptions ReaderOptions = new() { MaxDepth = 4 };

    /// <summary>
    /// Reads a field name or op as one of the protocol's own strings, without allocating; any other string is null
    /// (an unknown field, skipped) unless <paramref name="keepUnknown"/> (an unknown op, named in the refusal).
    /// </summary>
    private static string? ReadKnownString(ref MsgPackReader reader, bool keepUnknown = false)
    {
        if (!reader.TryReadStringSpan(out var utf8))
        {
            var text = reader.ReadString();
            return KnownStrings.FirstOrDefault(known => known == text) ?? (keepUnknown ? text : null);
        }

        foreach (var known in KnownStrings)
        {
            if (utf8.Length == known.Length && System.Text.Ascii.Equals(utf8, known))
            {
                return known;
            }
        }

        return keepUnknown ? System.Text.Encoding.UTF8.GetString(utf8) : null;
    }

    private static readonly string[] KnownStrings =
    [
        "op", "env", "id", "ids", "room", "error", "message", "retry",
        "send", "join", "leave", "received", "deliver", "ack", "nack", "joined", "notice",
        "card", "cards", "next", "capability", "role", "name", "text", "page_size", "page_token", "publish_card", "find", "found",
    ];

    private static RelayOp ParseOp(string op) => op switch
    {
        "send" => RelayOp.Send,
        "join" => RelayOp.Join,
        "leave" => RelayOp.Leave,
        "received" => RelayOp.Received,
        "deliver" => RelayOp.Deliver,
        "ack" => RelayOp.Ack,
        "nack" => RelayOp.Nack,
        "joined" => RelayOp.Joined,
        "notice" => RelayOp.Notice,
        "publish_card" => RelayOp.PublishCard,
        "find" => RelayOp.Find,
        "found" => RelayOp.Found,
        _ => throw new RelayProtocolException($"unknown op '{op}'"),
    };
}

/// <summary>A frame that does not follow the relay protocol.</summary>
public sealed class RelayProtocolException(string message) : Exception(message)
{
    /// <summary>The notice code the relay answers with before closing the link.</summary>
    public string Code { get; init; } = "protocol_error";
}
