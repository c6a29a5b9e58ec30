using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Synapse.Relay.Configuration;

namespace Synapse.Relay.Logging;

/// <summary>The two layouts of a relay log record: a text line and a JSON line.</summary>
internal static class RelayLogRecord
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Python's name of a level.</summary>
    public static string LevelName(RelayLogLevel level) => level switch
    {
        RelayLogLevel.Debug => "DEBUG",
        RelayLogLevel.Info => "INFO",
        RelayLogLevel.Warning => "WARNING",
        RelayLogLevel.Error => "ERROR",
        RelayLogLevel.Critical => "CRITICAL",
        _ => "LEVEL " + ((int)level).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// <c>timestamp - name - LEVEL - message key=value …</c>, without the newline. Control characters in the message are
    /// escaped; a value that is empty or holds spaces, quotes, '=' or control characters is written as a JSON string.
    /// </summary>
    public static string Text(string timestamp, string name, RelayLogLevel level, string message, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        var line = new StringBuilder(96);
        line.Append(timestamp).Append(" - ").Append(name).Append(" - ").Append(LevelName(level)).Append(" - ");
        AppendEscaped(line, message);
        foreach (var (key, value) in fields)
        {
            line.Append(' ');
            AppendEscaped(line, key);
            line.Append('=');
            var text = FormatValue(value);
            if (NeedsQuotes(text))
            {
                line.Append(Quote(text));
            }
            else
            {
                line.Append(text);
            }
        }

        return line.ToString();
    }

    /// <summary>
    /// <c>{"timestamp","name","level","message","fields":{…}}</c> plus a newline, as UTF-8. <c>fields</c> is left out
    /// when there are none. Numbers and booleans stay JSON numbers and booleans; anything else is a string.
    /// </summary>
    public static byte[] Json(string timestamp, string name, RelayLogLevel level, string message, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", timestamp);
            writer.WriteString("name", name);
            writer.WriteString("level", LevelName(level));
            writer.WriteString("message", message);
            if (fields.Count > 0)
            {
                writer.WriteStartObject("fields");
                foreach (var (key, value) in fields)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int or long or short or sbyte or byte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): writer.WriteNumberValue(f); break;
            case decimal m: writer.WriteNumberValue(m); break;
            default: writer.WriteStringValue(FormatValue(value)); break;
        }
    }

    private static string FormatValue(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static bool NeedsQuotes(string text)
    {
        if (text.Length == 0)
        {
            return true;
        }

        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '=')
            {
                return true;
            }
        }

        return false;
    }

    private static string Quote(string text)
    {
        var buffer = new ArrayBufferWriter<byte>(text.Length + 8);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStringValue(text);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void AppendEscaped(StringBuilder line, string text)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => line.Append("\\n"),
                '\r' => line.Append("\\r"),
                '\t' => line.Append("\\t"),
                _ when char.IsControl(c) => line.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => line.Append(c),
            };
        }
    }
}
