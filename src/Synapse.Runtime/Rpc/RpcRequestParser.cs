using System.Buffers;
using System.Text;
using Synapse.MessagePack;

namespace Synapse.Rpc;

/// <summary>What a request frame asks for.</summary>
internal enum RequestKind
{
    Request,
    Cancel,

    /// <summary>More credit for a stream (multiplexed links only).</summary>
    Credit,
}

/// <summary>The fields of a request frame, as slices of the frame.</summary>
internal struct ParsedRequest
{
    public RequestKind Kind;
    public ReadOnlySequence<byte> Endpoint;
    public bool EndpointIsString;

    /// <summary>How a non-string endpoint value prints in the "Unregistered endpoint called" message.</summary>
    public string? EndpointDisplay;
    public ReadOnlySequence<byte> Id;
    public ReadOnlySequence<byte> Arguments;
    public ReadOnlySequence<byte> KeywordArguments;

    /// <summary>The W3C <c>traceparent</c> text (multiplexed links only); empty when absent.</summary>
    public ReadOnlySequence<byte> TraceParent;

    /// <summary>The W3C <c>tracestate</c> text (multiplexed links only); empty when absent.</summary>
    public ReadOnlySequence<byte> TraceState;

    /// <summary>The items a credit notice grants (<c>n</c>); 0 when absent.</summary>
    public int Credits;
}

/// <summary>
/// Validates a request frame the way synapse-p2p does and returns its fields without copying. Error messages are
/// synapse-p2p's, so Python callers see the same text from either implementation.
/// </summary>
internal static class RpcRequestParser
{
    /// <summary>Parses <paramref name="frame"/>; returns <c>null</c> on success or the bad_request message.</summary>
    public static string? TryParse(ReadOnlySequence<byte> frame, MsgPackReaderOptions options, bool allowCancel, out ParsedRequest request)
    {
        request = default;
        if (frame.IsEmpty)
        {
            return "Unpack failed: incomplete input";
        }

        try
        {
            var reader = new MsgPackReader(frame, options);
            if (reader.NextType != MsgPackType.Map)
            {
                reader.Skip();
                return reader.End ? "payload must be a map" : "Unpack failed: extra data";
            }

            var count = reader.ReadMapHeader();
            var hasEndpoint = false;
            var type = ReadOnlySequence<byte>.Empty;
            var typeIsString = true;
            List<string>? unknown = null;
            for (var i = 0; i < count; i++)
            {
                if (reader.NextType != MsgPackType.String)
                {
                    if (reader.NextType != MsgPackType.Binary)
                    {
                        return $"{PythonTypeName(reader.NextType)} is not allowed for map key when strict_map_key=True";
                    }

                    (unknown ??= []).Add("b'" + Encoding.Latin1.GetString(reader.ReadBinarySequence()) + "'");
                    reader.Skip();
                    continue;
                }

                var key = reader.ReadStringSequence();
                switch (FieldIndex(key))
                {
                    case 0:
                        hasEndpoint = true;
                        request.EndpointIsString = reader.NextType == MsgPackType.String;
                        request.Endpoint = request.EndpointIsString ? reader.ReadStringSequence() : reader.ReadRaw();
                        request.EndpointDisplay = request.EndpointIsString ? null : MsgPackValue.Parse(request.Endpoint).ToJson();
                        break;
                    case 1:
                        request.Id = reader.ReadRaw();
                        break;
                    case 2:
                        request.Arguments = reader.ReadRaw();
                        break;
                    case 3:
                        request.KeywordArguments = reader.ReadRaw();
                        break;
                    case 4:
                        typeIsString = reader.NextType == MsgPackType.String;
                        type = typeIsString ? reader.ReadStringSequence() : reader.ReadRaw();
                        break;
                    // Trace context, which only Synapse clients send, and only on multiplexed links (a plaintext
                    // per-call request keeps synapse-p2p's five fields, and an unknown one is refused as Python does).
                    case 5 when allowCancel:
                        if (ReadTraceField(ref reader, "traceparent", out request.TraceParent) is { } badParent)
                        {
                            return badParent;
                        }

                        break;
                    case 6 when allowCancel:
                        if (ReadTraceField(ref reader, "tracestate", out request.TraceState) is { } badState)
                        {
                            return badState;
                        }

                        break;
                    case 7 when allowCancel:
                        if (reader.NextType != MsgPackType.Integer)
                        {
                            return $"n must be an int, not {PythonTypeName(reader.NextType)}";
                        }

                        var credits = reader.ReadInt64();
                        if (credits is < 1 or > RpcProtocol.MaxStreamCredit)
                        {
                            return $"n must be between 1 and {RpcProtocol.MaxStreamCredit}, not {credits}";
                        }

                        request.Credits = (int)credits;
                        break;
                    default:
                        (unknown ??= []).Add(Encoding.UTF8.GetString(key));
                        reader.Skip();
                        break;
                }
            }

            if (!reader.End)
            {
                return "Unpack failed: extra data";
            }

            if (ValidateId(request.Id, options) is { } idError)
            {
                return idError;
            }

            if (!type.IsEmpty || !typeIsString)
            {
                if (!typeIsString)
                {
                    return $"unknown RPC message type: {MsgPackValue.Parse(type.ToArray()).ToJson()}";
                }

                if (SequenceEquals(type, "cancel"u8) && allowCancel)
                {
                    request.Kind = RequestKind.Cancel;
                    return request.Id.IsEmpty ? "cancel message without id" : null;
                }

                if (SequenceEquals(type, "credit"u8) && allowCancel)
                {
                    request.Kind = RequestKind.Credit;
                    return request.Id.IsEmpty ? "credit message without id"
                        : request.Credits == 0 ? "credit message without n"
                        : null;
                }

                if (SequenceEquals(type, "response"u8))
                {
                    return "expected request message";
                }

                if (!SequenceEquals(type, "request"u8))
                {
                    return $"unknown RPC message type: {Encoding.UTF8.GetString(type)}";
                }
            }

            if (request.Credits != 0)
            {
                (unknown ??= []).Add("n"); // only a credit notice has it
            }

            if (unknown is not null)
            {
                unknown.Sort(StringComparer.Ordinal);
                return $"unknown request fields: {RpcProtocol.PythonList(unknown)}";
            }

            if (!hasEndpoint)
            {
                return "'endpoint'";
            }

            return ValidateContainer(request.Arguments, MsgPackType.Array, "args", options)
                ?? ValidateContainer(request.KeywordArguments, MsgPackType.Map, "kwargs", options);
        }
        catch (MsgPackException e)
        {
            return $"Unpack failed: {e.Message}";
        }
    }

    /// <summary>Ids are echoed as strings, so only values Python prints plainly are accepted; strings must be valid UTF-8.</summary>
    private static string? ValidateId(ReadOnlySequence<byte> id, MsgPackReaderOptions options)
    {
        if (id.IsEmpty)
        {
            return null;
        }

        var reader = new MsgPackReader(id, options);
        switch (reader.NextType)
        {
            case MsgPackType.String:
                reader.ReadStringSequence(); // throws on invalid UTF-8, like msgpack's raw=False decoding
                return null;
            case MsgPackType.Integer or MsgPackType.Float or MsgPackType.Boolean or MsgPackType.Nil:
                return null;
            case var other:
                return $"unsupported id type: {PythonTypeName(other)}";
        }
    }

    private static string? ValidateContainer(ReadOnlySequence<byte> raw, MsgPackType expected, string field, MsgPackReaderOptions options)
    {
        if (raw.IsEmpty)
        {
            return null;
        }

        var type = new MsgPackReader(raw, options).NextType;
        if (type == expected)
        {
            return null;
        }

        return type == MsgPackType.Nil
            ? expected == MsgPackType.Array ? "'NoneType' object is not iterable" : "argument after ** must be a mapping, not NoneType"
            : $"{field} must be {(expected == MsgPackType.Array ? "an array" : "a map")}, not {PythonTypeName(type)}";
    }

    /// <summary>Reads a trace-context field, which must be a string; returns the bad_request message otherwise.</summary>
    private static string? ReadTraceField(ref MsgPackReader reader, string name, out ReadOnlySequence<byte> value)
    {
        if (reader.NextType != MsgPackType.String)
        {
            value = default;
            return $"{name} must be a string, not {PythonTypeName(reader.NextType)}";
        }

        value = reader.ReadStringSequence();
        return null;
    }

    private static int FieldIndex(ReadOnlySequence<byte> key)
    {
        if (key.Length > 11)
        {
            return -1;
        }

        Span<byte> scratch = stackalloc byte[11];
        key.CopyTo(scratch);
        var span = scratch[..(int)key.Length];
        return span.SequenceEqual("endpoint"u8) ? 0
            : span.SequenceEqual("id"u8) ? 1
            : span.SequenceEqual("args"u8) ? 2
            : span.SequenceEqual("kwargs"u8) ? 3
            : span.SequenceEqual("type"u8) ? 4
            : span.SequenceEqual("traceparent"u8) ? 5
            : span.SequenceEqual("tracestate"u8) ? 6
            : span.SequenceEqual("n"u8) ? 7
            : -1;
    }

    internal static bool SequenceEquals(ReadOnlySequence<byte> sequence, ReadOnlySpan<byte> value)
    {
        if (sequence.Length != value.Length)
        {
            return false;
        }

        if (sequence.IsSingleSegment)
        {
            return sequence.FirstSpan.SequenceEqual(value);
        }

        foreach (var segment in sequence)
        {
            if (!segment.Span.SequenceEqual(value[..segment.Length]))
            {
                return false;
            }

            value = value[segment.Length..];
        }

        return true;
    }

    private static string PythonTypeName(MsgPackType type) => type switch
    {
        MsgPackType.Nil => "NoneType",
        MsgPackType.Boolean => "bool",
        MsgPackType.Integer => "int",
        MsgPackType.Float => "float",
        MsgPackType.String => "str",
        MsgPackType.Binary => "bytes",
        MsgPackType.Array => "list",
        MsgPackType.Map => "dict",
        _ => "ExtType",
    };
}
