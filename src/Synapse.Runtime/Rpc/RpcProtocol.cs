using System.Buffers;
using System.Globalization;
using System.Text;
using Synapse.MessagePack;
using Synapse.Transport.Framing;

namespace Synapse.Rpc;

/// <summary>
/// The synapse-p2p wire format: a 4-byte big-endian length prefix and a MessagePack map. Requests are
/// <c>{endpoint, id, args, kwargs, type}</c>; responses <c>{id, ok, result, error, type}</c>, written in that key order.
/// </summary>
internal static class RpcProtocol
{
    /// <summary>The endpoint a Synapse client calls first to learn whether the peer multiplexes.</summary>
    public const string HelloEndpoint = "_synapse.hello";

    /// <summary>The liveness check every host answers with <c>"pong"</c>.</summary>
    public const string PingEndpoint = "_synapse.ping";

    /// <summary>The protocol name exchanged by <see cref="HelloEndpoint"/>.</summary>
    public const string ProtocolName = "synapse/1";

    /// <summary>How a host's refusal of a connection over its limit starts.</summary>
    public const string ServerBusyPrefix = "server busy:";

    public const string FeatureMultiplex = "mux";
    public const string FeatureCancel = "cancel";

    /// <summary>The host reads W3C trace context (<c>traceparent</c>, <c>tracestate</c>) in requests on multiplexed links.</summary>
    public const string FeatureTraceContext = "trace_context";

    /// <summary>The host streams the items of <c>IAsyncEnumerable</c> endpoints, with credits the client grants.</summary>
    public const string FeatureStream = "stream";

    /// <summary>A client that takes progress reports (<c>{"type": "progress"}</c>) says so in its hello; a host sends them only then.</summary>
    public const string FeatureProgress = "progress";

    /// <summary>The items a host may send on a stream before the client grants more: the credit every stream starts with.</summary>
    public const int StreamWindow = 16;

    /// <summary>The most credit one notice may grant, and the most a stream may hold.</summary>
    public const int MaxStreamCredit = 1024;

    private static ReadOnlySpan<byte> EmptyIdToken => [0xa0];

    public static void WriteFrameHeaderPlaceholder(ref MsgPackWriter writer) => writer.WriteRaw([0, 0, 0, 0]);

    /// <summary>Writes a frame placeholder and the response keys up to the <c>result</c> value.</summary>
    public static void WriteResponseHead(ref MsgPackWriter writer, ReadOnlySpan<byte> idToken, bool ok)
    {
        WriteFrameHeaderPlaceholder(ref writer);
        writer.WriteMapHeader(5);
        writer.WriteStringUtf8("id"u8);
        writer.WriteRaw(idToken.IsEmpty ? EmptyIdToken : idToken);
        writer.WriteStringUtf8("ok"u8);
        writer.WriteBoolean(ok);
        writer.WriteStringUtf8("result"u8);
    }

    /// <summary>Writes <c>error: nil, type: "response"</c> after a result value.</summary>
    public static void WriteResponseTail(ref MsgPackWriter writer)
    {
        writer.WriteStringUtf8("error"u8);
        writer.WriteNil();
        writer.WriteStringUtf8("type"u8);
        writer.WriteStringUtf8("response"u8);
    }

    /// <summary>Writes a complete error response frame (with a length placeholder the caller patches).</summary>
    public static void WriteErrorResponse(ref MsgPackWriter writer, ReadOnlySpan<byte> idToken, string code, string message)
    {
        WriteResponseHead(ref writer, idToken, ok: false);
        writer.WriteNil();
        writer.WriteStringUtf8("error"u8);
        writer.WriteMapHeader(2);
        writer.WriteStringUtf8("code"u8);
        writer.WriteString(code);
        writer.WriteStringUtf8("message"u8);
        writer.WriteString(message);
        writer.WriteStringUtf8("type"u8);
        writer.WriteStringUtf8("response"u8);
    }

    /// <summary>Encodes a complete error response frame into a new array (for paths where no invocation exists).</summary>
    public static byte[] EncodeErrorFrame(ReadOnlySpan<byte> idToken, string code, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + message.Length * 3);
        var writer = new MsgPackWriter(buffer);
        WriteErrorResponse(ref writer, idToken, code, message);
        writer.Flush();
        var frame = buffer.WrittenSpan.ToArray();
        Frames.WriteHeader(frame, frame.Length - Frames.HeaderSize);
        return frame;
    }

    /// <summary>Decodes an id token (an encoded MessagePack str) to a string.</summary>
    public static string DecodeRequestId(ReadOnlySpan<byte> idToken)
    {
        if (idToken.IsEmpty)
        {
            return "";
        }

        var reader = new MsgPackReader(new ReadOnlyMemory<byte>(idToken.ToArray()));
        return reader.ReadString();
    }

    /// <summary>
    /// Encodes the request's <c>id</c> value as the str token the response echoes. synapse-p2p does
    /// <c>str(payload.get("id", ""))</c>, so non-string ids are converted the way Python prints them.
    /// </summary>
    public static void EncodeIdToken(ref MsgPackReader reader, IBufferWriter<byte> output)
    {
        var writer = new MsgPackWriter(output);
        switch (reader.NextType)
        {
            case MsgPackType.String:
                writer.WriteRaw(reader.ReadRaw());
                break;
            case MsgPackType.Nil:
                reader.ReadNil();
                writer.WriteStringUtf8("None"u8);
                break;
            case MsgPackType.Boolean:
                writer.WriteStringUtf8(reader.ReadBoolean() ? "True"u8 : "False"u8);
                break;
            case MsgPackType.Integer:
                var raw = reader.ReadRaw();
                var intReader = new MsgPackReader(raw);
                writer.WriteString(raw.FirstSpan[0] == 0xcf
                    ? intReader.ReadUInt64().ToString(CultureInfo.InvariantCulture)
                    : intReader.ReadInt64().ToString(CultureInfo.InvariantCulture));
                break;
            case MsgPackType.Float:
                writer.WriteString(PythonFloatRepr(reader.ReadDouble()));
                break;
            default:
                writer.WriteString(MsgPackValue.ReadFrom(ref reader).ToJson());
                break;
        }

        writer.Flush();
    }

    private static string PythonFloatRepr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text.Replace("E+", "e+").Replace("E-", "e-") : text + ".0";
    }

    /// <summary>Formats a Python-style list of names: <c>['a', 'b']</c>.</summary>
    public static string PythonList(IEnumerable<string> names)
    {
        var builder = new StringBuilder("[");
        var first = true;
        foreach (var name in names)
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            builder.Append('\'').Append(name).Append('\'');
        }

        return builder.Append(']').ToString();
    }
}
