using System.Text.Json;
using Synapse.MessagePack;

namespace Synapse.Tests.MessagePack;

public class MsgPackValueTests
{
    private static MsgPackValue Sample() => MsgPackValue.FromMap(
    [
        Entry(MsgPackValue.From("nil"), MsgPackValue.Nil),
        Entry(MsgPackValue.From("bools"), MsgPackValue.FromArray([true, false])),
        Entry(MsgPackValue.From("ints"), MsgPackValue.FromArray([0, -1, 127, 128, -33, long.MinValue, ulong.MaxValue])),
        Entry(MsgPackValue.From("floats"), MsgPackValue.FromArray([1.5, MsgPackValue.From(0.25f), double.NaN])),
        Entry(MsgPackValue.From("str"), "Кириллица 🍺"),
        Entry(MsgPackValue.From("bin"), MsgPackValue.FromBinary([1, 2, 3])),
        Entry(MsgPackValue.From("ext"), MsgPackValue.FromExtension(new MsgPackExtension(42, new byte[] { 9 }))),
        Entry(MsgPackValue.From("ts"), MsgPackValue.FromTimestamp(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1230))),
        Entry(MsgPackValue.From(7), MsgPackValue.From("int key")),
        Entry(MsgPackValue.FromArray([1, 2]), MsgPackValue.FromMap(new Dictionary<string, MsgPackValue>())),
    ]);

    private static KeyValuePair<MsgPackValue, MsgPackValue> Entry(MsgPackValue key, MsgPackValue value) => new(key, value);

    [Fact]
    public void Round_trips_through_bytes()
    {
        MsgPackValue value = Sample();
        byte[] bytes = value.ToBytes();
        MsgPackValue parsed = MsgPackValue.Parse(bytes);
        Assert.Equal(value, parsed);
        Assert.Equal(value.GetHashCode(), parsed.GetHashCode());
        Assert.Equal(Hex.Format(bytes), Hex.Format(parsed.ToBytes()));
        Assert.Equal(value, MsgPackValue.Parse(bytes.AsSpan()));
        Assert.Equal(value, MsgPackValue.Parse(bytes.AsMemory()));
        Assert.Equal(value, MsgPackValue.Parse(TestSequences.Split(bytes, 1)));
    }

    [Fact]
    public void Float32_is_kept_for_re_encoding()
    {
        MsgPackValue single = MsgPackValue.Parse(Hex.Parse("ca 3f 00 00 00"));
        Assert.True(single.IsFloat32);
        Assert.Equal("ca3f000000", Hex.Format(single.ToBytes()));
        MsgPackValue dbl = MsgPackValue.Parse(Hex.Parse("cb 3f e0 00 00 00 00 00 00"));
        Assert.False(dbl.IsFloat32);
        Assert.Equal(single, dbl); // same value
        Assert.False(MsgPackValue.From(1).IsFloat32);
    }

    [Fact]
    public void Integers_compare_by_value_whatever_the_encoding()
    {
        MsgPackValue[] ones = [.. new[] { "01", "cc 01", "cd 00 01", "ce 00 00 00 01", "cf 00 00 00 00 00 00 00 01", "d0 01", "d1 00 01", "d2 00 00 00 01", "d3 00 00 00 00 00 00 00 01" }
            .Select(h => MsgPackValue.Parse(Hex.Parse(h)))];
        foreach (MsgPackValue one in ones)
        {
            Assert.Equal(ones[0], one);
            Assert.Equal(ones[0].GetHashCode(), one.GetHashCode());
            Assert.Equal(MsgPackValue.From(1UL), one);
        }

        Assert.Equal(MsgPackValue.From(-1), MsgPackValue.Parse(Hex.Parse("d3 ff ff ff ff ff ff ff ff")));
        Assert.NotEqual(MsgPackValue.From(-1), MsgPackValue.From(ulong.MaxValue));
        Assert.NotEqual(MsgPackValue.From(1), MsgPackValue.From(1.0));
        Assert.NotEqual(MsgPackValue.From(1.0), MsgPackValue.From(1));
        Assert.NotEqual(MsgPackValue.From(0), MsgPackValue.False);
    }

    [Fact]
    public void Floats_compare_by_value()
    {
        Assert.Equal(MsgPackValue.From(double.NaN), MsgPackValue.From(double.NaN));
        Assert.Equal(MsgPackValue.From(double.NaN), MsgPackValue.From(float.NaN));
        Assert.Equal(MsgPackValue.From(0.0), MsgPackValue.From(-0.0));
        Assert.Equal(MsgPackValue.From(0.0).GetHashCode(), MsgPackValue.From(-0.0).GetHashCode());
        Assert.Equal(MsgPackValue.From(0.5f), MsgPackValue.From(0.5));
        Assert.Equal(MsgPackValue.From(0.5f).GetHashCode(), MsgPackValue.From(0.5).GetHashCode());
        Assert.NotEqual(MsgPackValue.From(0.1f), MsgPackValue.From(0.1));
    }

    [Fact]
    public void Structural_equality()
    {
        Assert.True(MsgPackValue.Nil == MsgPackValue.Parse(Hex.Parse("c0")));
        Assert.Equal(MsgPackValue.From("a"), MsgPackValue.From("a"));
        Assert.NotEqual(MsgPackValue.From("a"), MsgPackValue.FromBinary("a"u8));
        Assert.Equal(MsgPackValue.FromBinary([1, 2]), MsgPackValue.From(new byte[] { 1, 2 }));
        Assert.Equal(MsgPackValue.FromArray([1, "x"]), MsgPackValue.FromArray([1, "x"]));
        Assert.NotEqual(MsgPackValue.FromArray([1, "x"]), MsgPackValue.FromArray(["x", 1]));
        Assert.NotEqual(MsgPackValue.FromArray([1]), MsgPackValue.FromArray([1, 1]));
        Assert.Equal(MsgPackValue.FromExtension(new MsgPackExtension(1, new byte[] { 2 })), MsgPackValue.FromExtension(new MsgPackExtension(1, new byte[] { 2 })));
        Assert.NotEqual(MsgPackValue.FromExtension(new MsgPackExtension(1, new byte[] { 2 })), MsgPackValue.FromExtension(new MsgPackExtension(2, new byte[] { 2 })));
        Assert.True(MsgPackValue.From("a") != MsgPackValue.From("b"));
        Assert.False(MsgPackValue.From("a").Equals((object?)null));
        Assert.False(MsgPackValue.From("a") == null);
    }

    [Fact]
    public void Maps_compare_regardless_of_order()
    {
        MsgPackValue ab = MsgPackValue.ParseJson("""{"a":1,"b":[2]}""");
        MsgPackValue ba = MsgPackValue.ParseJson("""{"b":[2],"a":1}""");
        Assert.Equal(ab, ba);
        Assert.Equal(ab.GetHashCode(), ba.GetHashCode());
        Assert.Equal("a", ab.AsMap()[0].Key.AsString());
        Assert.Equal("b", ba.AsMap()[0].Key.AsString());
        Assert.NotEqual(ab, MsgPackValue.ParseJson("""{"a":1,"b":[3]}"""));
        Assert.NotEqual(ab, MsgPackValue.ParseJson("""{"a":1}"""));
        Assert.NotEqual(MsgPackValue.ParseJson("""{"a":1,"a":1}"""), MsgPackValue.ParseJson("""{"a":1,"a":2}"""));
    }

    [Fact]
    public void Accessors_return_the_value_or_throw_naming_the_type()
    {
        MsgPackValue value = Sample();
        Assert.Equal(MsgPackType.Map, value.Type);
        Assert.True(value["nil"]!.IsNil);
        Assert.Null(value["missing"]);
        Assert.Null(MsgPackValue.From(1)["a"]);
        Assert.True(value["bools"]!.AsArray()[0].AsBoolean());
        Assert.Equal(long.MinValue, value["ints"]!.AsArray()[5].AsInt64());
        Assert.Equal(ulong.MaxValue, value["ints"]!.AsArray()[6].AsUInt64());
        Assert.Equal(-1.0, value["ints"]!.AsArray()[1].AsDouble());
        Assert.Equal(1.5, value["floats"]!.AsArray()[0].AsDouble());
        Assert.Equal("Кириллица 🍺", value["str"]!.AsString());
        Assert.Equal(new byte[] { 1, 2, 3 }, value["bin"]!.AsBinary().ToArray());
        Assert.Equal(42, value["ext"]!.AsExtension().TypeCode);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1230), value["ts"]!.AsTimestamp());
        Assert.Equal(-1, value["ts"]!.AsExtension().TypeCode);

        var ex = Assert.Throws<InvalidOperationException>(() => MsgPackValue.From("x").AsInt64());
        Assert.Contains("String", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<InvalidOperationException>(() => MsgPackValue.Nil.AsString());
        Assert.Contains("Nil", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<InvalidOperationException>(() => MsgPackValue.From(1.5).AsInt64());
        Assert.Contains("Float", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<InvalidOperationException>(() => value["ext"]!.AsTimestamp());
        Assert.Contains("Extension (type 42)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => MsgPackValue.From(1).AsBoolean());
        Assert.Throws<InvalidOperationException>(() => MsgPackValue.From(1).AsBinary());
        Assert.Throws<InvalidOperationException>(() => MsgPackValue.From(1).AsArray());
        Assert.Throws<InvalidOperationException>(() => MsgPackValue.From(1).AsMap());
        Assert.Throws<InvalidOperationException>(() => MsgPackValue.From(1).AsExtension());
        Assert.Throws<InvalidOperationException>(() => MsgPackValue.From("1").AsDouble());
        Assert.Throws<OverflowException>(() => MsgPackValue.From(ulong.MaxValue).AsInt64());
        Assert.Throws<OverflowException>(() => MsgPackValue.From(-1).AsUInt64());
        Assert.Throws<InvalidOperationException>(() => MsgPackValue.FromTimestamp(-62_167_219_200, 0).AsTimestamp());
    }

    [Fact]
    public void Factories_and_conversions()
    {
        Assert.Same(MsgPackValue.True, MsgPackValue.From(true));
        Assert.Same(MsgPackValue.Nil, MsgPackValue.From((string?)null));
        Assert.Same(MsgPackValue.Nil, MsgPackValue.From((byte[]?)null));
        MsgPackValue fromString = "s";
        MsgPackValue fromInt = 3;
        MsgPackValue fromLong = 3L;
        MsgPackValue fromULong = 3UL;
        MsgPackValue fromDouble = 3.0;
        MsgPackValue fromBool = false;
        Assert.Equal(MsgPackType.String, fromString.Type);
        Assert.Equal(fromInt, fromLong);
        Assert.Equal(fromInt, fromULong);
        Assert.Equal(MsgPackType.Float, fromDouble.Type);
        Assert.Same(MsgPackValue.False, fromBool);
        Assert.True(MsgPackValue.FromArray([null!]).AsArray()[0].IsNil);
        Assert.True(MsgPackValue.FromMap(new Dictionary<string, MsgPackValue> { ["k"] = null! })["k"]!.IsNil);
        byte[] data = [1];
        MsgPackValue copied = MsgPackValue.FromBinary(data.AsSpan());
        data[0] = 2;
        Assert.Equal(1, copied.AsBinary().Span[0]);
    }

    [Fact]
    public void Timestamps_outside_DateTimeOffset_survive_as_seconds_and_nanoseconds()
    {
        MsgPackValue ancient = MsgPackValue.FromTimestamp(-62_167_219_200, 5);
        MsgPackValue parsed = MsgPackValue.Parse(ancient.ToBytes());
        Assert.True(parsed.TryGetTimestamp(out long seconds, out uint nanoseconds));
        Assert.Equal((-62_167_219_200L, 5u), (seconds, nanoseconds));
        Assert.False(MsgPackValue.From(1).TryGetTimestamp(out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => MsgPackValue.FromTimestamp(0, 1_000_000_000));
    }

    [Fact]
    public void ToJson_maps_every_type()
    {
        Assert.Equal(
            """{"nil":null,"bools":[true,false],"ints":[0,-1,127,128,-33,-9223372036854775808,18446744073709551615],"floats":[1.5,0.25,"NaN"],"str":"Кириллица \uD83C\uDF7A","bin":"AQID","ext":{"$ext":42,"data":"CQ=="},"ts":"2024-05-06T07:08:09.000123Z","7":"int key","[1,2]":{}}""",
            Sample().ToJson());
        Assert.Equal(Sample().ToJson(), Sample().ToString());
        Assert.Contains("\n", Sample().ToJson(indented: true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(-2.0, "-2.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e300, "1E+300")]
    [InlineData(double.PositiveInfinity, "\"Infinity\"")]
    [InlineData(double.NegativeInfinity, "\"-Infinity\"")]
    public void Floats_in_JSON_stay_floats(double value, string json)
    {
        Assert.Equal(json, MsgPackValue.From(value).ToJson());
        if (double.IsFinite(value))
        {
            MsgPackValue back = MsgPackValue.ParseJson(json);
            Assert.Equal(MsgPackType.Float, back.Type);
            Assert.Equal(value, back.AsDouble());
        }
    }

    [Fact]
    public void Float32_prints_its_shortest_form()
    {
        Assert.Equal("0.1", MsgPackValue.From(0.1f).ToJson());
        Assert.Equal("3.0", MsgPackValue.From(3f).ToJson());
    }

    [Fact]
    public void Out_of_range_timestamps_print_as_extensions()
    {
        Assert.Equal("""{"$ext":-1,"data":"AAAAAP////GGi4QA"}""", MsgPackValue.FromTimestamp(-62_167_219_200, 0).ToJson());
    }

    [Fact]
    public void FromJson_converts_every_kind()
    {
        MsgPackValue value = MsgPackValue.ParseJson("""
            {"i": 1, "neg": -5, "big": 18446744073709551615, "bigger": 18446744073709551616, "f": 2.5, "e": 1e3,
             "s": "x\u00e9", "t": true, "n": null, "a": [1, [2, {}]], "o": {"k": "v"}}
            """);
        Assert.Equal(MsgPackValue.From(1), value["i"]);
        Assert.Equal(MsgPackValue.From(-5), value["neg"]);
        Assert.Equal(MsgPackValue.From(ulong.MaxValue), value["big"]);
        Assert.Equal(MsgPackType.Float, value["bigger"]!.Type);
        Assert.Equal(MsgPackValue.From(2.5), value["f"]);
        Assert.Equal(MsgPackValue.From(1000.0), value["e"]);
        Assert.Equal("xé", value["s"]!.AsString());
        Assert.Same(MsgPackValue.True, value["t"]);
        Assert.True(value["n"]!.IsNil);
        Assert.Equal(MsgPackValue.FromArray([1, MsgPackValue.FromArray([2, MsgPackValue.FromMap(new Dictionary<string, MsgPackValue>())])]), value["a"]);
        Assert.Equal("v", value["o"]!["k"]!.AsString());
        Assert.Equal(["i", "neg", "big", "bigger", "f", "e", "s", "t", "n", "a", "o"], value.AsMap().Select(e => e.Key.AsString()));

        using JsonDocument document = JsonDocument.Parse("[1,\"a\"]");
        Assert.Equal(MsgPackValue.FromArray([1, "a"]), MsgPackValue.FromJson(document.RootElement));
        Assert.Throws<ArgumentException>(() => MsgPackValue.FromJson(default));
    }

    [Fact]
    public void JSON_round_trip()
    {
        const string json = """{"a":[1,2.5,"x",null,true,{"b":-3}],"c":{"d":18446744073709551615},"e":"\"quoted\""}""";
        Assert.Equal(json, MsgPackValue.ParseJson(json).ToJson());
        Assert.Equal(MsgPackValue.ParseJson(json), MsgPackValue.Parse(MsgPackValue.ParseJson(json).ToBytes()));
    }

    [Fact]
    public void WriteJson_writes_into_a_caller_writer()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("v");
            MsgPackValue.FromArray([1, "two"]).WriteJson(writer);
            writer.WriteEndObject();
        }

        Assert.Equal("""{"v":[1,"two"]}""", System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
