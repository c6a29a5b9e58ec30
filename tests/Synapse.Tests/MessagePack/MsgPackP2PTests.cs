using System.Buffers;
using Synapse.MessagePack;

namespace Synapse.Tests.MessagePack;

/// <summary>Byte-exact compatibility with synapse-p2p (Python msgpack, use_bin_type=True).</summary>
public class MsgPackP2PTests
{
    internal static readonly byte[] RequestBytes = Hex.Parse(
        "85 a8 65 6e 64 70 6f 69 6e 74 a3 73 75 6d a2 69 64 a3 61 62 63 a4 61 72 67 73 92 01 02 a6 6b 77 61 72 67 73 80 a4 74 79 70 65 a7 72 65 71 75 65 73 74");

    [Fact]
    public void Request_written_field_by_field_matches_python()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        writer.WriteMapHeader(5);
        writer.WriteString("endpoint");
        writer.WriteString("sum");
        writer.WriteString("id");
        writer.WriteString("abc");
        writer.WriteString("args");
        writer.WriteArrayHeader(2);
        writer.WriteInt32(1);
        writer.WriteInt32(2);
        writer.WriteString("kwargs");
        writer.WriteMapHeader(0);
        writer.WriteString("type");
        writer.WriteString("request");
        writer.Flush();
        Assert.Equal(Hex.Format(RequestBytes), Hex.Format(buffer.WrittenSpan));
        Assert.Equal(RequestBytes.Length, writer.Written);
    }

    [Fact]
    public void Request_from_the_DOM_and_JSON_matches_python()
    {
        MsgPackValue request = MsgPackValue.FromMap(new Dictionary<string, MsgPackValue>
        {
            ["endpoint"] = "sum",
            ["id"] = "abc",
            ["args"] = MsgPackValue.FromArray([1, 2]),
            ["kwargs"] = MsgPackValue.FromMap(new Dictionary<string, MsgPackValue>()),
            ["type"] = "request",
        });
        Assert.Equal(Hex.Format(RequestBytes), Hex.Format(request.ToBytes()));

        MsgPackValue fromJson = MsgPackValue.ParseJson("""{"endpoint":"sum","id":"abc","args":[1,2],"kwargs":{},"type":"request"}""");
        Assert.Equal(Hex.Format(RequestBytes), Hex.Format(fromJson.ToBytes()));

        MsgPackValue parsed = MsgPackValue.Parse(RequestBytes);
        Assert.Equal(request, parsed);
        Assert.Equal("sum", parsed["endpoint"]!.AsString());
        Assert.Equal("""{"endpoint":"sum","id":"abc","args":[1,2],"kwargs":{},"type":"request"}""", parsed.ToJson());
    }

    [Fact]
    public void Request_reads_field_by_field()
    {
        var reader = new MsgPackReader(RequestBytes);
        Assert.Equal(5, reader.ReadMapHeader());
        Assert.Equal("endpoint", reader.ReadString());
        Assert.True(reader.TryReadStringSpan(out ReadOnlySpan<byte> endpoint));
        Assert.True(endpoint.SequenceEqual("sum"u8));
        Assert.Equal("id", reader.ReadString());
        Assert.Equal("abc", reader.ReadNullableString());
        Assert.Equal("args", reader.ReadString());
        Assert.Equal(Hex.Format([0x92, 0x01, 0x02]), Hex.Format(reader.ReadRaw().ToArray()));
        Assert.Equal("kwargs", reader.ReadString());
        Assert.Equal(0, reader.ReadMapHeader());
        Assert.Equal("type", reader.ReadString());
        Assert.Equal("request", reader.ReadString());
        Assert.True(reader.End);
        Assert.Equal(RequestBytes.Length, reader.Consumed);
    }

    [Fact]
    public void Scalars_match_python()
    {
        Assert.Equal("cb3ff8000000000000", Encode((ref w) => w.WriteDouble(1.5)));
        Assert.Equal("c40101", Encode((ref w) => w.WriteBinary([0x01])));
        Assert.Equal("cf0000010000000000", Encode((ref w) => w.WriteInt64(1L << 40)));
        Assert.Equal("ff", Encode((ref w) => w.WriteInt64(-1)));
        Assert.Equal("d1ff38", Encode((ref w) => w.WriteInt64(-200)));
        Assert.Equal("ccc8", Encode((ref w) => w.WriteInt64(200)));

        Assert.Equal("cb3ff8000000000000", Hex.Format(MsgPackValue.From(1.5).ToBytes()));
        Assert.Equal("c40101", Hex.Format(MsgPackValue.From(new byte[] { 1 }).ToBytes()));
        Assert.Equal("cf0000010000000000", Hex.Format(MsgPackValue.From(1L << 40).ToBytes()));
        Assert.Equal("ff", Hex.Format(MsgPackValue.From(-1).ToBytes()));
        Assert.Equal("d1ff38", Hex.Format(MsgPackValue.From(-200).ToBytes()));
    }

    internal delegate void WriteAction(ref MsgPackWriter writer);

    internal static string Encode(WriteAction action)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        action(ref writer);
        writer.Flush();
        Assert.Equal(buffer.WrittenCount, writer.Written);
        return Hex.Format(buffer.WrittenSpan);
    }
}
