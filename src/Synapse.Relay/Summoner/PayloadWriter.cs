using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.MessagePack;

namespace Synapse.Relay.Summoner;

/// <summary>Writes a payload and its Summoner type tree as Python's <c>json.dumps</c> would.</summary>
internal static class PayloadWriter
{
    /// <summary>Python's view of a JSON leaf.</summary>
    internal enum Leaf
    {
        Null,
        Bool,
        Int,
        Float,
        Str,
    }

    /// <summary>Appends the payload value.</summary>
    public static void WriteValue(IBufferWriter<byte> output, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                WriteObject(output, obj, static (o, child) => WriteValue(o, child));
                break;
            case JsonArray array:
                WriteArray(output, array, static (o, child) => WriteValue(o, child));
                break;
            default:
                var (leaf, text) = Classify(node);
                if (leaf == Leaf.Str)
                {
                    PythonJson.WriteString(output, text);
                }
                else
                {
                    PythonJson.WriteAscii(output, text);
                }

                break;
        }
    }

    /// <summary>Appends the parallel type tree (<c>parse_v0_0_1</c>).</summary>
    public static void WriteType(IBufferWriter<byte> output, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                WriteObject(output, obj, static (o, child) => WriteType(o, child));
                break;
            case JsonArray array:
                WriteArray(output, array, static (o, child) => WriteType(o, child));
                break;
            default:
                PythonJson.WriteAscii(output, Classify(node).Leaf switch
                {
                    Leaf.Null => "\"null\"",
                    Leaf.Bool => "\"bool\"",
                    Leaf.Int => "\"int\"",
                    Leaf.Float => "\"float\"",
                    _ => "\"str\"",
                });
                break;
        }
    }

    /// <summary>
    /// What Python would hold for a leaf, and its text: the string itself for <see cref="Leaf.Str"/>, else its JSON.
    /// A parsed number is a float when its text has a fraction or an exponent (as <c>json.loads</c> decides); a number
    /// made from a CLR value is a float when it is a <see cref="double"/>, <see cref="float"/> or <see cref="decimal"/>.
    /// </summary>
    public static (Leaf Leaf, string Text) Classify(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return (Leaf.Null, "null");
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                return (Leaf.Bool, "true");
            case JsonValueKind.False:
                return (Leaf.Bool, "false");
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return (Leaf.Null, "null");
            case JsonValueKind.String:
                return (Leaf.Str, StringOf(value));
            default:
                return ClassifyNumber(value);
        }
    }

    private static string StringOf(JsonValue value)
    {
        if (value.TryGetValue<string>(out var text))
        {
            return text;
        }

        using var document = JsonDocument.Parse(value.ToJsonString()); // char, Guid, DateTime...: their JSON string
        return document.RootElement.GetString()!;
    }

    private static (Leaf Leaf, string Text) ClassifyNumber(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            var raw = element.GetRawText();
            if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
            {
                return (Leaf.Float, PythonJson.FloatRepr(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture)));
            }

            return (Leaf.Int, raw == "-0" ? "0" : raw);
        }

        if (value.TryGetValue<double>(out var d))
        {
            return (Leaf.Float, PythonJson.FloatRepr(d));
        }

        if (value.TryGetValue<float>(out var f))
        {
            return (Leaf.Float, PythonJson.FloatRepr(double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)));
        }

        if (value.TryGetValue<decimal>(out var m))
        {
            return (Leaf.Float, PythonJson.FloatRepr((double)m));
        }

        return (Leaf.Int, value.ToJsonString()); // the integer types
    }

    private static void WriteObject(IBufferWriter<byte> output, JsonObject obj, Action<IBufferWriter<byte>, JsonNode?> writeChild)
    {
        PythonJson.WriteAscii(output, "{");
        var first = true;
        foreach (var (key, child) in obj)
        {
            PythonJson.WriteAscii(output, first ? "" : ", ");
            first = false;
            PythonJson.WriteString(output, key);
            PythonJson.WriteAscii(output, ": ");
            writeChild(output, child);
        }

        PythonJson.WriteAscii(output, "}");
    }

    private static void WriteArray(IBufferWriter<byte> output, JsonArray array, Action<IBufferWriter<byte>, JsonNode?> writeChild)
    {
        PythonJson.WriteAscii(output, "[");
        for (var i = 0; i < array.Count; i++)
        {
            PythonJson.WriteAscii(output, i == 0 ? "" : ", ");
            writeChild(output, array[i]);
        }

        PythonJson.WriteAscii(output, "]");
    }
}
