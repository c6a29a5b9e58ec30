using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Synapse.Relay.Summoner;

/// <summary>Reads one line from a Summoner relay (Python or Rust server), parsing <c>content</c> once.</summary>
internal static class RelayLineParser
{
    private static readonly JsonDocumentOptions ContentOptions = new() { MaxDepth = 256 };

    public static bool TryParse(ReadOnlySpan<byte> line, out SummonerMessage message)
    {
        message = null!;
        line = TrimLineEnd(line);
        if (line.Trim(" \t\r\n"u8).IsEmpty || !Utf8.IsValid(line))
        {
            return false;
        }

        try
        {
            return TryReadEnvelope(line, out message);
        }
        catch (JsonException)
        {
            message = SummonerMessage.Notice(Encoding.UTF8.GetString(line));
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return false; // a string holding a lone surrogate escape, or a repeated key in the content
        }
    }

    private static ReadOnlySpan<byte> TrimLineEnd(ReadOnlySpan<byte> line)
    {
        if (line.EndsWith("\n"u8))
        {
            line = line[..^1];
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }
        }

        return line;
    }

    private static bool TryReadEnvelope(ReadOnlySpan<byte> line, out SummonerMessage message)
    {
        message = null!;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            Finish(ref reader);
            return false;
        }

        string? remoteAddress = null;
        string? text = null;
        JsonNode? content = null;
        var hasContent = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isAddress = reader.ValueTextEquals("remote_addr"u8);
            var isContent = reader.ValueTextEquals("content"u8);
            reader.Read();
            if (isAddress)
            {
                remoteAddress = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (isContent)
            {
                hasContent = true;
                (content, text) = ReadContent(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        Finish(ref reader);
        if (remoteAddress is null || !hasContent)
        {
            return false;
        }

        var version = TypedPayload.TryUnwrap(ref content);
        message = SummonerMessage.Relayed(remoteAddress, content, version, text!);
        return true;
    }

    /// <summary>Throws <see cref="JsonException"/> when anything but whitespace follows the top-level value.</summary>
    private static void Finish(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("More than one JSON value on the line.");
        }
    }

    private static (JsonNode? Content, string Text) ReadContent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            var node = JsonNode.Parse(ref reader);
            return (node, node?.ToJsonString() ?? "null"); // content already JSON (no standard relay does this)
        }

        var rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var length = reader.CopyString(rented);
            var utf8 = rented.AsSpan(0, length);
            var text = Encoding.UTF8.GetString(utf8);
            return (ParseOnce(utf8, text), text);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static JsonNode? ParseOnce(ReadOnlySpan<byte> utf8, string text)
    {
        try
        {
            return JsonNode.Parse(utf8, documentOptions: ContentOptions);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text); // a plain line such as "hello world" (or "")
        }
    }
}
