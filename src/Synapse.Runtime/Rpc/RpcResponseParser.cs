using System.Buffers;
using Synapse.MessagePack;

namespace Synapse.Rpc;

/// <summary>The fields of a response frame, as slices of the frame.</summary>
internal struct ParsedResponse
{
    public ReadOnlySequence<byte> Id;
    public bool Ok;
    public ReadOnlySequence<byte> Result;
    public string? ErrorCode;
    public string? ErrorMessage;

    /// <summary>
    /// A value sent before the response (its value in <see cref="Result"/>): an item of a streamed result
    /// (<c>type: "item"</c>) or, with <see cref="IsProgress"/>, a progress report (<c>type: "progress"</c>).
    /// </summary>
    public bool IsItem;

    /// <summary>The item is a progress report.</summary>
    public bool IsProgress;
}

/// <summary>Validates a response frame as synapse-p2p's decoder does (unknown fields and message types are rejected).</summary>
internal static class RpcResponseParser
{
    /// <summary>Parses <paramref name="frame"/>; returns <c>null</c> on success or what was wrong.</summary>
    /// <param name="frame">The frame's payload.</param>
    /// <param name="options">Reader limits.</param>
    /// <param name="response">The fields.</param>
    /// <param name="allowItems">Whether stream items and progress reports (<c>{"id", "type": "item" or "progress", "value"}</c>) may come: on a multiplexed link.</param>
    public static string? TryParse(ReadOnlySequence<byte> frame, MsgPackReaderOptions options, out ParsedResponse response, bool allowItems = false)
    {
        response = default;
        try
        {
            var reader = new MsgPackReader(frame, options);
            if (reader.NextType != MsgPackType.Map)
            {
                return "payload must be a map";
            }

            var count = reader.ReadMapHeader();
            var hasOk = false;
            var hasValue = false;
            List<string>? unknown = null;
            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                switch (key)
                {
                    case "id":
                        response.Id = reader.ReadRaw();
                        break;
                    case "ok":
                        hasOk = true;
                        response.Ok = reader.ReadBoolean();
                        break;
                    case "result":
                        response.Result = reader.ReadRaw();
                        break;
                    case "error":
                        if (!reader.TryReadNil())
                        {
                            ReadError(ref reader, ref response);
                        }

                        break;
                    case "type":
                        var type = reader.ReadString();
                        if (type == "request")
                        {
                            return "node returned a non-response message";
                        }

                        if (type is "item" or "progress" && allowItems)
                        {
                            response.IsItem = true;
                            response.IsProgress = type == "progress";
                        }
                        else if (type != "response")
                        {
                            return $"unknown RPC message type: {type}";
                        }

                        break;
                    case "value" when allowItems:
                        hasValue = true;
                        response.Result = reader.ReadRaw();
                        break;
                    default:
                        (unknown ??= []).Add(key);
                        reader.Skip();
                        break;
                }
            }

            if (!reader.End)
            {
                return "extra data after the response";
            }

            if (response.IsItem && !hasValue)
            {
                return response.IsProgress ? "progress report without 'value'" : "stream item without 'value'";
            }

            if (hasValue && !response.IsItem)
            {
                (unknown ??= []).Add("value"); // only an item has one
            }

            if (unknown is not null)
            {
                unknown.Sort(StringComparer.Ordinal);
                return $"unknown response fields: {RpcProtocol.PythonList(unknown)}";
            }

            return hasOk || response.IsItem ? null : "'ok'";
        }
        catch (MsgPackException e)
        {
            return $"invalid response: {e.Message}";
        }
    }

    private static void ReadError(ref MsgPackReader reader, ref ParsedResponse response)
    {
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            switch (reader.ReadString())
            {
                case "code":
                    response.ErrorCode = reader.ReadNullableString();
                    break;
                case "message":
                    response.ErrorMessage = reader.ReadNullableString();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    /// <summary>Reads a response id written by a Synapse client (a decimal number); -1 when it is not one.</summary>
    public static long ParseNumericId(ReadOnlySequence<byte> idToken)
    {
        if (idToken.IsEmpty)
        {
            return -1;
        }

        try
        {
            var reader = new MsgPackReader(idToken);
            if (reader.NextType != MsgPackType.String)
            {
                return -1;
            }

            Span<byte> scratch = stackalloc byte[20];
            var utf8 = reader.ReadStringSequence();
            if (utf8.Length is 0 or > 20)
            {
                return -1;
            }

            utf8.CopyTo(scratch);
            return System.Buffers.Text.Utf8Parser.TryParse(scratch[..(int)utf8.Length], out long id, out var consumed) && consumed == utf8.Length && id >= 0
                ? id
                : -1;
        }
        catch (MsgPackException)
        {
            return -1;
        }
    }
}
