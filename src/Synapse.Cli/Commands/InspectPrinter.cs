using System.Text;
using Synapse.MessagePack;

namespace Synapse.Cli.Commands;

/// <summary>Prints a <see cref="NodeReport"/> for people: aligned fields, one method or capability per line.</summary>
internal static class InspectPrinter
{
    public static void Print(NodeReport report, TextWriter output)
    {
        output.WriteLine($"node {report.Address}");
        var fields = new List<(string Key, string Value)>();
        if (report.Info is { Type: MsgPackType.Map } info)
        {
            fields.AddRange(info.AsMap().Select(entry => (Text(entry.Key), Text(entry.Value))));
        }
        else
        {
            fields.Add(("info", report.Info is null ? "not served" : Text(report.Info)));
        }

        fields.Add(("agent id", report.PeerId ?? "-"));
        fields.Add(("link", report.Link));
        WriteColumns(output, fields);

        output.WriteLine();
        WriteList(output, "methods", report.Methods, Signature);
        output.WriteLine();
        WriteList(output, "capabilities", report.Capabilities, entry => Text(entry["name"]));
    }

    private static void WriteList(TextWriter output, string title, MsgPackValue? list, Func<MsgPackValue, string> describe)
    {
        if (list is not { Type: MsgPackType.Array })
        {
            output.WriteLine(list is null ? $"{title}: not served" : $"{title}: {Text(list)}");
            return;
        }

        var items = list.AsArray();
        output.WriteLine($"{title} ({items.Count})");
        WriteColumns(output, items.Select(item => item.Type == MsgPackType.Map
            ? (describe(item), Description(item))
            : (Text(item), "")).ToList());
    }

    private static void WriteColumns(TextWriter output, List<(string Key, string Value)> rows)
    {
        var width = rows.Count == 0 ? 0 : rows.Max(row => row.Key.Length);
        foreach (var (key, value) in rows)
        {
            output.WriteLine(value.Length == 0
                ? $"  {key}"
                : $"  {key.PadRight(width)}  {value}");
        }
    }

    /// <summary><c>name(a: integer, b?: string) -> integer</c> from the method's JSON Schemas, when it has them.</summary>
    private static string Signature(MsgPackValue method)
    {
        var name = Text(method["name"]);
        if (method["input_schema"] is not { Type: MsgPackType.Map } input)
        {
            return name; // synapse-p2p lists names and descriptions only
        }

        var required = input["required"] is { Type: MsgPackType.Array } list
            ? list.AsArray().Where(item => item.Type == MsgPackType.String).Select(item => item.AsString()).ToHashSet(StringComparer.Ordinal)
            : [];
        var signature = new StringBuilder(name).Append('(');
        if (input["properties"] is { Type: MsgPackType.Map } properties)
        {
            signature.AppendJoin(", ", properties.AsMap().Select(entry =>
            {
                var parameter = Text(entry.Key);
                var optional = required.Contains(parameter) ? "" : "?";
                return $"{parameter}{optional}: {SchemaType(entry.Value)}";
            }));
        }

        signature.Append(')');
        if (method["output_schema"] is { Type: MsgPackType.Map } output && SchemaType(output) is { } result && result != "any")
        {
            signature.Append(" -> ").Append(result);
        }

        return signature.ToString();
    }

    private static string SchemaType(MsgPackValue schema) => schema["type"] switch
    {
        { Type: MsgPackType.String } type when type.AsString() == "array" && schema["items"] is { Type: MsgPackType.Map } items => $"{SchemaType(items)}[]",
        { Type: MsgPackType.String } type => type.AsString(),
        { Type: MsgPackType.Array } types => string.Join(" | ", types.AsArray().Select(Text)),
        _ => "any",
    };

    private static string Description(MsgPackValue item) => Text(item["description"]) is var text && text != "-" ? text : "";

    /// <summary>A value for a column: strings as they are, nil as <c>-</c>, string lists joined, the rest as JSON.</summary>
    private static string Text(MsgPackValue? value) => value switch
    {
        null or { IsNil: true } => "-",
        { Type: MsgPackType.String } => value.AsString().Length == 0 ? "-" : value.AsString().ReplaceLineEndings(" "),
        { Type: MsgPackType.Array } when value.AsArray().All(item => item.Type == MsgPackType.String) =>
            value.AsArray().Count == 0 ? "-" : string.Join(", ", value.AsArray().Select(item => item.AsString())),
        _ => value.ToJson(),
    };
}
