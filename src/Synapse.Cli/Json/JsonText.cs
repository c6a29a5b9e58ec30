using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Synapse.MessagePack;

namespace Synapse.Cli.Json;

/// <summary>MessagePack values as JSON text for people.</summary>
internal static class JsonText
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <paramref name="value"/> as indented JSON. Written compact by the runtime, then re-indented, because the
    /// runtime writes floats as raw values, which an indenting writer does not put on their own line.
    /// </summary>
    public static string ToIndentedJson(MsgPackValue value)
    {
        using var document = JsonDocument.Parse(value.ToJson(), new JsonDocumentOptions { MaxDepth = 1024 });
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            document.RootElement.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
