using System.Globalization;
using System.Text.Json;
using Synapse.MessagePack;

namespace Synapse.Tests.MessagePack;

/// <summary>One case of the msgpack-test-suite: a value and every encoding that must decode to it.</summary>
internal sealed record VectorCase(string Id, string Kind, JsonElement Data, JsonElement Case, byte[][] Encodings)
{
    /// <summary>The expected value as a DOM (timestamps as extension -1 in smallest form).</summary>
    public MsgPackValue Expected => Kind switch
    {
        "nil" => MsgPackValue.Nil,
        "bool" => MsgPackValue.From(Data.GetBoolean()),
        "binary" => MsgPackValue.FromBinary(Hex.Parse(Data.GetString()!)),
        "bignum" => IntegerFromString(Data.GetString()!),
        "number" => Data.TryGetInt64(out long l) ? MsgPackValue.From(l) : MsgPackValue.From(Data.GetDouble()),
        "string" => MsgPackValue.From(Data.GetString()),
        "array" or "map" => MsgPackValue.FromJson(Data),
        "timestamp" => MsgPackValue.FromTimestamp(TimestampSeconds, TimestampNanoseconds),
        "ext" => MsgPackValue.FromExtension(new MsgPackExtension((sbyte)Data[0].GetInt32(), Hex.Parse(Data[1].GetString()!))),
        _ => throw new InvalidOperationException(Kind),
    };

    public bool IsNumber => Kind is "number" or "bignum";

    /// <summary>Whether the natural C# value is a non-integral number (written as float 64).</summary>
    public bool IsFloat => Kind == "number" && !Data.TryGetInt64(out _);

    public long TimestampSeconds => Data[0].GetInt64();

    public uint TimestampNanoseconds => Data[1].GetUInt32();

    public override string ToString() => Id;

    private static MsgPackValue IntegerFromString(string text) =>
        text.StartsWith('-') ? MsgPackValue.From(long.Parse(text, CultureInfo.InvariantCulture)) : MsgPackValue.From(ulong.Parse(text, CultureInfo.InvariantCulture));
}

internal static class MsgPackVectors
{
    private static readonly Lazy<Dictionary<string, VectorCase>> Cases = new(Load);

    public static IReadOnlyDictionary<string, VectorCase> All => Cases.Value;

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (string id in All.Keys)
        {
            data.Add(id);
        }

        return data;
    }

    private static Dictionary<string, VectorCase> Load()
    {
        string path = VectorFiles.Path("msgpack", "msgpack-test-suite.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        var cases = new Dictionary<string, VectorCase>(StringComparer.Ordinal);
        foreach (JsonProperty group in document.RootElement.EnumerateObject())
        {
            int index = 0;
            foreach (JsonElement item in group.Value.EnumerateArray())
            {
                JsonElement element = item.Clone();
                string kind = element.TryGetProperty("bignum", out _) ? "bignum"
                    : element.EnumerateObject().Select(p => p.Name).Single(n => n != "msgpack");
                JsonElement data = element.GetProperty(kind);
                byte[][] encodings = [.. element.GetProperty("msgpack").EnumerateArray().Select(e => Hex.Parse(e.GetString()!))];
                string label = data.ValueKind == JsonValueKind.String ? data.GetString()! : data.GetRawText();
                if (label.Length > 24)
                {
                    label = label[..24] + "…";
                }

                string id = $"{Path.GetFileNameWithoutExtension(group.Name)}[{index}] {label}";
                cases.Add(id, new VectorCase(id, kind, data, element, encodings));
                index++;
            }
        }

        Assert.True(cases.Count > 50, $"expected the full test suite, found {cases.Count} cases");
        return cases;
    }
}
