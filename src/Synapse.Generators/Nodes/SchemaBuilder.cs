using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Synapse.Generators.Common;
using Synapse.Generators.Messages;

namespace Synapse.Generators.Nodes;

/// <summary>A property of an endpoint's input schema.</summary>
internal readonly struct SchemaProperty
{
    public SchemaProperty(string name, TypeModel type, bool required, string? defaultJson, string? description)
    {
        Name = name;
        Type = type;
        Required = required;
        DefaultJson = defaultJson;
        Description = description;
    }

    public string Name { get; }

    public TypeModel Type { get; }

    public bool Required { get; }

    public string? DefaultJson { get; }

    public string? Description { get; }
}

/// <summary>Builds compact, deterministic JSON Schema (draft 2020-12 vocabulary) text for wire types.</summary>
internal static class SchemaBuilder
{
    public const string Null = "{\"type\":\"null\"}";

    public static string Output(TypeModel? type, TypeResolver resolver) =>
        type is null ? Null : Build(type, resolver, new HashSet<string>(StringComparer.Ordinal)).ToJson();

    public static string Input(IEnumerable<SchemaProperty> properties, TypeResolver resolver)
    {
        var builder = new StringBuilder("{\"type\":\"object\",\"properties\":{");
        var required = new List<string>();
        var first = true;
        foreach (var property in properties)
        {
            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            var schema = Build(property.Type, resolver, new HashSet<string>(StringComparer.Ordinal));
            if (!Literals.IsNullOrWhiteSpace(property.Description))
            {
                schema.Add("description", Literals.JsonString(property.Description!));
            }

            if (property.DefaultJson is not null)
            {
                schema.Add("default", property.DefaultJson);
            }

            builder.Append(Literals.JsonString(property.Name)).Append(':').Append(schema.ToJson());
            if (property.Required)
            {
                required.Add(property.Name);
            }
        }

        builder.Append('}');
        AppendRequired(builder, required);
        builder.Append('}');
        return builder.ToString();
    }

    private static void AppendRequired(StringBuilder builder, List<string> required)
    {
        if (required.Count > 0)
        {
            builder.Append(",\"required\":[").Append(string.Join(",", required.Select(Literals.JsonString))).Append(']');
        }
    }

    private static Schema Build(TypeModel type, TypeResolver resolver, HashSet<string> visiting)
    {
        switch (type.Kind)
        {
            case WireKind.Boolean:
                return new Schema("boolean");
            case WireKind.SByte:
                return Integer("-128", "127");
            case WireKind.Byte:
                return Integer("0", "255");
            case WireKind.Int16:
                return Integer("-32768", "32767");
            case WireKind.UInt16:
                return Integer("0", "65535");
            case WireKind.Int32:
                return Integer("-2147483648", "2147483647");
            case WireKind.UInt32:
                return Integer("0", "4294967295");
            case WireKind.Int64:
                return Integer("-9223372036854775808", "9223372036854775807");
            case WireKind.UInt64:
                return Integer("0", "18446744073709551615");
            case WireKind.Single:
            case WireKind.Double:
                return new Schema("number");
            case WireKind.String:
                return new Schema("string");
            case WireKind.DateTimeOffset:
                return new Schema("string").Add("format", "\"date-time\"");
            case WireKind.Guid:
                return new Schema("string").Add("format", "\"uuid\"");
            case WireKind.Binary:
            case WireKind.BinaryMemory:
                return new Schema("string").Add("contentEncoding", "\"base64\"");
            case WireKind.MsgPackValue:
                return new Schema(null);
            case WireKind.Enum:
                return new Schema("string").Add("enum", "[" + string.Join(",", type.Enum!.Members.Select(m => Literals.JsonString(m.Name))) + "]");
            case WireKind.NullableRef:
            case WireKind.NullableValue:
                return Nullable(Build(type.Element!, resolver, visiting));
            case WireKind.Array:
            case WireKind.List:
            case WireKind.ReadOnlyList:
            case WireKind.IList:
            case WireKind.ReadOnlyCollection:
            case WireKind.Collection:
            case WireKind.Enumerable:
                return new Schema("array").Add("items", Build(type.Element!, resolver, visiting).ToJson());
            case WireKind.Dictionary:
            case WireKind.ReadOnlyDictionary:
            case WireKind.IDictionary:
                return new Schema("object").Add("additionalProperties", Build(type.Element!, resolver, visiting).ToJson());
            case WireKind.Message:
                return Message(type, resolver, visiting);
            default:
                throw new InvalidOperationException("no schema for " + type.Kind);
        }
    }

    private static Schema Message(TypeModel type, TypeResolver resolver, HashSet<string> visiting)
    {
        var model = resolver.GetMessage(type).Model;
        if (model is null || !visiting.Add(type.Mangled))
        {
            return new Schema("object"); // recursion point (or invalid type): an unconstrained object
        }

        var properties = new StringBuilder("{");
        var required = new List<string>();
        for (var i = 0; i < model.Members.Count; i++)
        {
            var member = model.Members[i];
            if (i > 0)
            {
                properties.Append(',');
            }

            properties.Append(Literals.JsonString(member.Key)).Append(':').Append(Build(member.Type, resolver, visiting).ToJson());
            if (member.IsRequired)
            {
                required.Add(member.Key);
            }
        }

        properties.Append('}');
        visiting.Remove(type.Mangled);
        var schema = new Schema("object").Add("properties", properties.ToString());
        if (required.Count > 0)
        {
            schema.Add("required", "[" + string.Join(",", required.Select(Literals.JsonString)) + "]");
        }

        return schema;
    }

    private static Schema Integer(string minimum, string maximum) =>
        new Schema("integer").Add("minimum", minimum).Add("maximum", maximum);

    private static Schema Nullable(Schema inner)
    {
        if (inner.Type is null && inner.Keywords.Count == 0)
        {
            return inner; // {} already admits null
        }

        if (inner.Type is not null && inner.Keywords.All(k => k.Key != "enum"))
        {
            var result = new Schema(null) { RawType = "[" + Literals.JsonString(inner.Type) + ",\"null\"]" };
            result.Keywords.AddRange(inner.Keywords);
            return result;
        }

        return new Schema(null).Add("anyOf", "[" + inner.ToJson() + "," + Null + "]");
    }

    private sealed class Schema
    {
        public Schema(string? type)
        {
            Type = type;
            RawType = type is null ? null : Literals.JsonString(type);
        }

        public string? Type { get; }

        public string? RawType { get; set; }

        public List<KeyValuePair<string, string>> Keywords { get; } = new();

        public Schema Add(string key, string rawJson)
        {
            Keywords.Add(new KeyValuePair<string, string>(key, rawJson));
            return this;
        }

        public string ToJson()
        {
            var builder = new StringBuilder("{");
            if (RawType is not null)
            {
                builder.Append("\"type\":").Append(RawType);
            }

            foreach (var keyword in Keywords)
            {
                if (builder.Length > 1)
                {
                    builder.Append(',');
                }

                builder.Append(Literals.JsonString(keyword.Key)).Append(':').Append(keyword.Value);
            }

            return builder.Append('}').ToString();
        }
    }
}
