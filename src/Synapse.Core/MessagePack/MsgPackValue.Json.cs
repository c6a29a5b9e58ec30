using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Synapse.MessagePack;

// JSON bridge. Uses only JsonDocument/JsonElement and Utf8JsonWriter, so it is trimming and AOT safe.
public sealed partial class MsgPackValue
{
    private static readonly JsonWriterOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions IndentedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>
    /// Converts JSON to MessagePack: objects become maps with string keys (in document order), numbers become
    /// integers when they parse as <see cref="long"/> or <see cref="ulong"/> and floats otherwise.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="json"/> is undefined (a default <see cref="JsonElement"/>).</exception>
    public static MsgPackValue FromJson(JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Null:
                return Nil;
            case JsonValueKind.True:
                return True;
            case JsonValueKind.False:
                return False;
            case JsonValueKind.String:
                return From(json.GetString());
            case JsonValueKind.Number:
                if (json.TryGetInt64(out long signed))
                {
                    return From(signed);
                }

                return json.TryGetUInt64(out ulong unsigned) ? From(unsigned) : From(json.GetDouble());
            case JsonValueKind.Array:
                RuntimeHelpers.EnsureSufficientExecutionStack();
                var items = new MsgPackValue[json.GetArrayLength()];
                int i = 0;
                foreach (JsonElement item in json.EnumerateArray())
                {
                    items[i++] = FromJson(item);
                }

                return new(MsgPackType.Array, reference: items);
            case JsonValueKind.Object:
                RuntimeHelpers.EnsureSufficientExecutionStack();
                var entries = new List<KeyValuePair<MsgPackValue, MsgPackValue>>();
                foreach (JsonProperty property in json.EnumerateObject())
                {
                    entries.Add(new(From(property.Name), FromJson(property.Value)));
                }

                return new(MsgPackType.Map, reference: entries.ToArray());
            default:
                throw new ArgumentException("The JSON element is undefined.", nameof(json));
        }
    }

    /// <summary>Parses JSON text and converts it as <see cref="FromJson"/> does.</summary>
    /// <exception cref="JsonException"><paramref name="json"/> is not valid JSON.</exception>
    public static MsgPackValue ParseJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using JsonDocument document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    /// <summary>
    /// Writes this value as JSON. Binary data becomes a base64 string, timestamps an ISO 8601 UTC string, other
    /// extensions <c>{"$ext": type, "data": base64}</c>, and map keys that are not strings their JSON text.
    /// Floats always carry a fraction or exponent (<c>1.0</c>) so they read back as floats; NaN and infinities
    /// become the strings "NaN", "Infinity" and "-Infinity".
    /// </summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (_type)
        {
            case MsgPackType.Nil:
                writer.WriteNullValue();
                break;
            case MsgPackType.Boolean:
                writer.WriteBooleanValue(_bits != 0);
                break;
            case MsgPackType.Integer when _flag:
                writer.WriteNumberValue(unchecked((long)_bits));
                break;
            case MsgPackType.Integer:
                writer.WriteNumberValue(_bits);
                break;
            case MsgPackType.Float:
                WriteJsonFloat(writer);
                break;
            case MsgPackType.String:
                writer.WriteStringValue((string)_reference!);
                break;
            case MsgPackType.Binary:
                writer.WriteBase64StringValue(_bytes.Span);
                break;
            case MsgPackType.Array:
                RuntimeHelpers.EnsureSufficientExecutionStack();
                writer.WriteStartArray();
                foreach (MsgPackValue item in (MsgPackValue[])_reference!)
                {
                    item.WriteJson(writer);
                }

                writer.WriteEndArray();
                break;
            case MsgPackType.Map:
                RuntimeHelpers.EnsureSufficientExecutionStack();
                writer.WriteStartObject();
                foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in (KeyValuePair<MsgPackValue, MsgPackValue>[])_reference!)
                {
                    writer.WritePropertyName(entry.Key._reference as string ?? entry.Key.ToJson());
                    entry.Value.WriteJson(writer);
                }

                writer.WriteEndObject();
                break;
            default:
                if (TryGetTimestamp(out long seconds, out uint nanoseconds)
                    && MsgPackPrimitives.ToDateTimeOffset(seconds, nanoseconds) is { } instant)
                {
                    writer.WriteStringValue(instant.UtcDateTime);
                    break;
                }

                writer.WriteStartObject();
                writer.WriteNumber("$ext", ExtensionType);
                writer.WriteBase64String("data", _bytes.Span);
                writer.WriteEndObject();
                break;
        }
    }

    /// <summary>This value as JSON text (see <see cref="WriteJson"/>).</summary>
    /// <param name="indented">Whether to indent the output.</param>
    public string ToJson(bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, indented ? IndentedJson : CompactJson))
        {
            WriteJson(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteJsonFloat(Utf8JsonWriter writer)
    {
        double value = FloatValue;
        if (!double.IsFinite(value))
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
            return;
        }

        Span<byte> text = stackalloc byte[40];
        int length;
        if (_flag)
        {
            ((float)value).TryFormat(text, out length, "R", CultureInfo.InvariantCulture);
        }
        else
        {
            value.TryFormat(text, out length, "R", CultureInfo.InvariantCulture);
        }

        if (text[..length].IndexOfAny(".Ee"u8) < 0)
        {
            ".0"u8.CopyTo(text[length..]);
            length += 2;
        }

        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }
}
