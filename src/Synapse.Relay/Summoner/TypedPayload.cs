using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Relay.Summoner;

/// <summary>
/// Summoner's typed wrapper <c>{"_version", "_payload", "_type"}</c> on receive. Any version is accepted. The payload
/// was parsed once, so a well-formed wrapper already matches its type tree; the tree only corrects scalar mismatches
/// the way Python's caster does (<c>"5"</c> typed <c>int</c> becomes 5, anything typed <c>null</c> becomes null), and never
/// turns a container into Python's <c>str()</c> text.
/// </summary>
internal static class TypedPayload
{
    /// <summary>When <paramref name="content"/> is a typed wrapper, replaces it with its typed payload and returns the version.</summary>
    public static string? TryUnwrap(ref JsonNode? content)
    {
        if (content is not JsonObject wrapper
            || !wrapper.TryGetPropertyValue("_version", out var version)
            || !wrapper.TryGetPropertyValue("_payload", out var payload)
            || !wrapper.TryGetPropertyValue("_type", out var type))
        {
            return null;
        }

        var versionText = version is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : version?.ToJsonString() ?? "null";
        wrapper.Remove("_payload");
        content = Cast(payload, type);
        return versionText;
    }

    private static JsonNode? Cast(JsonNode? value, JsonNode? type)
    {
        switch (type)
        {
            case JsonValue leaf when leaf.GetValueKind() == JsonValueKind.String:
                return CastLeaf(value, leaf.GetValue<string>());
            case JsonArray types when value is JsonArray items:
                for (var i = 0; i < Math.Min(types.Count, items.Count); i++)
                {
                    Replace(items, i, Cast(items[i], types[i]));
                }

                return items;
            case JsonObject types when value is JsonObject fields:
                foreach (var (key, childType) in types)
                {
                    if (fields.TryGetPropertyValue(key, out var child))
                    {
                        var cast = Cast(child, childType);
                        if (!ReferenceEquals(cast, child))
                        {
                            fields[key] = cast;
                        }
                    }
                }

                return fields;
            default:
                return value;
        }
    }

    private static void Replace(JsonArray items, int index, JsonNode? cast)
    {
        if (!ReferenceEquals(cast, items[index]))
        {
            items[index] = cast;
        }
    }

    private static JsonNode? CastLeaf(JsonNode? value, string type)
    {
        if (type == "null")
        {
            return null;
        }

        if (value is not JsonValue scalar)
        {
            return value; // containers are kept as they came
        }

        var (leaf, text) = PayloadWriter.Classify(scalar);
        return (type, leaf) switch
        {
            ("int", PayloadWriter.Leaf.Str) when BigInteger.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonNode.Parse(n.ToString(CultureInfo.InvariantCulture)),
            ("int", PayloadWriter.Leaf.Float) when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonNode.Parse(new BigInteger(Math.Truncate(d)).ToString(CultureInfo.InvariantCulture)),
            ("int", PayloadWriter.Leaf.Bool) => JsonValue.Create(text == "true" ? 1 : 0),
            ("float", PayloadWriter.Leaf.Str or PayloadWriter.Leaf.Int) when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            ("str", PayloadWriter.Leaf.Int or PayloadWriter.Leaf.Float) => JsonValue.Create(text),
            ("str", PayloadWriter.Leaf.Bool) => JsonValue.Create(text == "true" ? "True" : "False"),
            _ => value,
        };
    }
}
