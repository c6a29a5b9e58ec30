using System.Buffers;
using System.Text;
using Synapse.MessagePack;

namespace Synapse.Tests.MessagePack;

public class MsgPackWriterTests
{
    [Theory]
    [InlineData(0L, "00")]
    [InlineData(127L, "7f")]
    [InlineData(128L, "cc80")]
    [InlineData(255L, "ccff")]
    [InlineData(256L, "cd0100")]
    [InlineData(65535L, "cdffff")]
    [InlineData(65536L, "ce00010000")]
    [InlineData(4294967295L, "ceffffffff")]
    [InlineData(4294967296L, "cf0000000100000000")]
    [InlineData(long.MaxValue, "cf7fffffffffffffff")]
    [InlineData(-1L, "ff")]
    [InlineData(-32L, "e0")]
    [InlineData(-33L, "d0df")]
    [InlineData(-128L, "d080")]
    [InlineData(-129L, "d1ff7f")]
    [InlineData(-32768L, "d18000")]
    [InlineData(-32769L, "d2ffff7fff")]
    [InlineData(-2147483648L, "d280000000")]
    [InlineData(-2147483649L, "d3ffffffff7fffffff")]
    [InlineData(long.MinValue, "d38000000000000000")]
    public void Integers_use_the_smallest_python_compatible_encoding(long value, string expected)
    {
        Assert.Equal(expected, MsgPackP2PTests.Encode((ref w) => w.WriteInt64(value)));
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            Assert.Equal(expected, MsgPackP2PTests.Encode((ref w) => w.WriteInt32((int)value)));
        }

        if (value >= 0)
        {
            Assert.Equal(expected, MsgPackP2PTests.Encode((ref w) => w.WriteUInt64((ulong)value)));
        }

        if (value is >= 0 and <= uint.MaxValue)
        {
            Assert.Equal(expected, MsgPackP2PTests.Encode((ref w) => w.WriteUInt32((uint)value)));
        }

        Assert.Equal(value, new MsgPackReader(Hex.Parse(expected)).ReadInt64());
    }

    [Fact]
    public void Other_scalars()
    {
        Assert.Equal("cfffffffffffffffff", MsgPackP2PTests.Encode((ref w) => w.WriteUInt64(ulong.MaxValue)));
        Assert.Equal("c0", MsgPackP2PTests.Encode((ref w) => w.WriteNil()));
        Assert.Equal("c0", MsgPackP2PTests.Encode((ref w) => w.WriteString((string?)null)));
        Assert.Equal("c3c2", MsgPackP2PTests.Encode((ref w) =>
        {
            w.WriteBoolean(true);
            w.WriteBoolean(false);
        }));
        Assert.Equal("ca3fc00000", MsgPackP2PTests.Encode((ref w) => w.WriteSingle(1.5f)));
        Assert.Equal("cb0000000000000000", MsgPackP2PTests.Encode((ref w) => w.WriteDouble(0)));
        Assert.True(double.IsNaN(new MsgPackReader(Hex.Parse(MsgPackP2PTests.Encode((ref w) => w.WriteDouble(double.NaN)))).ReadDouble()));
    }

    [Theory]
    [InlineData(0, "a0")]
    [InlineData(31, "bf")]
    [InlineData(32, "d920")]
    [InlineData(255, "d9ff")]
    [InlineData(256, "da0100")]
    [InlineData(65535, "daffff")]
    [InlineData(65536, "db00010000")]
    public void String_headers(int length, string header)
    {
        string text = new('x', length);
        string expected = header + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));
        Assert.Equal(expected, MsgPackP2PTests.Encode((ref w) => w.WriteString(text)));
        Assert.Equal(expected, MsgPackP2PTests.Encode((ref w) => w.WriteString(text.AsSpan())));
        Assert.Equal(expected, MsgPackP2PTests.Encode((ref w) => w.WriteStringUtf8(Encoding.UTF8.GetBytes(text))));
        Assert.Equal(text, new MsgPackReader(Hex.Parse(expected)).ReadString());
    }

    [Theory]
    [InlineData("é", 1)]          // 2 bytes per char
    [InlineData("한", 1)]         // 3 bytes per char
    [InlineData("🍺", 1)]         // surrogate pair, 4 bytes
    [InlineData("aé한🍺", 11)]
    [InlineData("한", 11)]        // 33 bytes: str 8
    [InlineData("a", 11)]         // reserved str 8, fits fixstr
    [InlineData("é", 200)]        // reserved str 16, fits str 16
    [InlineData("a", 100)]        // reserved str 16, fits str 8
    [InlineData("a", 4096)]       // largest one-pass string
    [InlineData("한", 4097)]      // two-pass path
    [InlineData("a", 100_000)]
    public void Strings_are_encoded_with_the_exact_header(string unit, int repeat)
    {
        string text = string.Concat(Enumerable.Repeat(unit, repeat));
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        writer.WriteString(text);
        writer.Flush();
        byte[] expected = Concat(StrHeader(utf8.Length), utf8);
        Assert.Equal(Hex.Format(expected), Hex.Format(buffer.WrittenSpan));

        var tiny = new TinyBufferWriter();
        writer = new MsgPackWriter(tiny);
        writer.WriteInt32(1); // so the string does not start at a fresh buffer
        writer.WriteString(text);
        writer.Flush();
        Assert.Equal(Hex.Format(Concat([0x01], expected)), Hex.Format(tiny.WrittenBytes));

        Assert.Equal(text, new MsgPackReader(expected).ReadString());
    }

    [Fact]
    public void Unpaired_surrogates_are_replaced()
    {
        Assert.Equal("a3efbfbd", MsgPackP2PTests.Encode((ref w) => w.WriteString("\ud800")));
    }

    [Theory]
    [InlineData(0, "c400")]
    [InlineData(255, "c4ff")]
    [InlineData(256, "c50100")]
    [InlineData(65536, "c600010000")]
    public void Binary_headers(int length, string header)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        string expected = header + Convert.ToHexStringLower(data);
        Assert.Equal(expected, MsgPackP2PTests.Encode((ref w) => w.WriteBinary(data)));
        var tiny = new TinyBufferWriter();
        var writer = new MsgPackWriter(tiny);
        writer.WriteBinary(data);
        writer.Flush();
        Assert.Equal(expected, Hex.Format(tiny.WrittenBytes));
        Assert.Equal(data, new MsgPackReader(Hex.Parse(expected)).ReadBinary());
    }

    [Theory]
    [InlineData(0, "90", "80")]
    [InlineData(15, "9f", "8f")]
    [InlineData(16, "dc0010", "de0010")]
    [InlineData(65535, "dcffff", "deffff")]
    [InlineData(65536, "dd00010000", "df00010000")]
    public void Collection_headers(int count, string array, string map)
    {
        Assert.Equal(array, MsgPackP2PTests.Encode((ref w) => w.WriteArrayHeader(count)));
        Assert.Equal(map, MsgPackP2PTests.Encode((ref w) => w.WriteMapHeader(count)));
    }

    [Fact]
    public void Negative_counts_are_rejected()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsgPackWriter(buffer).WriteArrayHeader(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsgPackWriter(buffer).WriteMapHeader(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsgPackWriter(buffer).WriteTimestamp(0, 1_000_000_000));
    }

    [Theory]
    [InlineData(0, "c70005")]
    [InlineData(1, "d405")]
    [InlineData(2, "d505")]
    [InlineData(3, "c70305")]
    [InlineData(4, "d605")]
    [InlineData(8, "d705")]
    [InlineData(16, "d805")]
    [InlineData(17, "c71105")]
    [InlineData(255, "c7ff05")]
    [InlineData(256, "c8010005")]
    [InlineData(65536, "c90001000005")]
    public void Extension_headers(int length, string header)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        string expected = header + Convert.ToHexStringLower(data);
        Assert.Equal(expected, MsgPackP2PTests.Encode((ref w) => w.WriteExtension(5, data)));
        var ext = new MsgPackReader(Hex.Parse(expected)).ReadExtension();
        Assert.Equal(5, ext.TypeCode);
        Assert.Equal(data, ext.Data.ToArray());
    }

    [Fact]
    public void Negative_extension_type_codes()
    {
        Assert.Equal("d4803f", MsgPackP2PTests.Encode((ref w) => w.WriteExtension(-128, [0x3f])));
        Assert.Equal(-128, new MsgPackReader(Hex.Parse("d4803f")).ReadExtension().TypeCode);
    }

    [Fact]
    public void Timestamps_from_DateTimeOffset()
    {
        Assert.Equal("d6ff00000000", MsgPackP2PTests.Encode((ref w) => w.WriteTimestamp(DateTimeOffset.UnixEpoch)));
        Assert.Equal("d6ff5a4af6a5", MsgPackP2PTests.Encode((ref w) => w.WriteTimestamp(DateTimeOffset.FromUnixTimeSeconds(1514862245))));
        // Half a second before the epoch: seconds -1, nanoseconds 500 000 000.
        DateTimeOffset before = DateTimeOffset.UnixEpoch.AddMilliseconds(-500);
        Assert.Equal("c70cff1dcd6500ffffffffffffffff", MsgPackP2PTests.Encode((ref w) => w.WriteTimestamp(before)));
        Assert.Equal(before, new MsgPackReader(Hex.Parse("c70cff1dcd6500ffffffffffffffff")).ReadTimestamp());

        // Local offsets are normalised to UTC; 100 ns ticks survive the round trip.
        var local = new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(9)).AddTicks(1234567);
        string encoded = MsgPackP2PTests.Encode((ref w) => w.WriteTimestamp(local));
        DateTimeOffset read = new MsgPackReader(Hex.Parse(encoded)).ReadTimestamp();
        Assert.Equal(local, read);
        Assert.Equal(TimeSpan.Zero, read.Offset);

        foreach (DateTimeOffset extreme in new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue })
        {
            string bytes = MsgPackP2PTests.Encode((ref w) => w.WriteTimestamp(extreme));
            Assert.Equal(extreme, new MsgPackReader(Hex.Parse(bytes)).ReadTimestamp());
        }
    }

    [Fact]
    public void WriteRaw_copies_spans_and_sequences()
    {
        byte[] encoded = MsgPackP2PTests.RequestBytes;
        Assert.Equal(Hex.Format(encoded), MsgPackP2PTests.Encode((ref w) => w.WriteRaw(encoded)));
        ReadOnlySequence<byte> split = TestSequences.Split(encoded, 3);
        Assert.Equal(Hex.Format(encoded), MsgPackP2PTests.Encode((ref w) => w.WriteRaw(split)));
    }

    [Fact]
    public void Bytes_are_committed_on_Flush_and_Written_counts_everything()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.WriteInt64(1);
        writer.WriteString("ab");
        Assert.Equal(0, buffer.WrittenCount);
        Assert.Equal(5, writer.Written);
        writer.Flush();
        Assert.Equal(5, buffer.WrittenCount);
        writer.WriteNil();
        writer.Flush();
        Assert.Equal("9301a26162c0", Hex.Format(buffer.WrittenSpan));
        Assert.Equal(6, writer.Written);
        writer.Flush();
        Assert.Equal(6, buffer.WrittenCount);
    }

    [Fact]
    public void Writer_over_tiny_buffers_matches_writer_over_one_buffer()
    {
        var tiny = new TinyBufferWriter();
        var writer = new MsgPackWriter(tiny);
        WriteEverything(ref writer);
        writer.Flush();

        var big = new ArrayBufferWriter<byte>();
        var bigWriter = new MsgPackWriter(big);
        WriteEverything(ref bigWriter);
        bigWriter.Flush();

        Assert.Equal(Hex.Format(big.WrittenSpan), Hex.Format(tiny.WrittenBytes));
        Assert.Equal(big.WrittenCount, writer.Written);
        Assert.True(tiny.GetSpanCalls > 10);
    }

    [Fact]
    public void Primitives_do_not_allocate()
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        byte[] utf8 = "hello"u8.ToArray();
        Run(buffer, utf8); // warm up
        buffer.Clear();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(buffer, utf8);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Run(ArrayBufferWriter<byte> buffer, byte[] utf8)
        {
            var writer = new MsgPackWriter(buffer);
            for (int i = 0; i < 100; i++)
            {
                writer.WriteArrayHeader(12);
                writer.WriteInt64(i * 1_000_000_007L);
                writer.WriteUInt64((ulong)i);
                writer.WriteInt32(-i);
                writer.WriteDouble(i * 0.5);
                writer.WriteSingle(i);
                writer.WriteBoolean(true);
                writer.WriteNil();
                writer.WriteString("endpoint");
                writer.WriteStringUtf8(utf8);
                writer.WriteBinary(utf8);
                writer.WriteMapHeader(0);
                writer.WriteTimestamp(i, 5);
            }

            writer.Flush();
        }
    }

    private static void WriteEverything(ref MsgPackWriter writer)
    {
        writer.WriteArrayHeader(9);
        writer.WriteInt64(long.MinValue);
        writer.WriteUInt64(ulong.MaxValue);
        writer.WriteDouble(Math.PI);
        writer.WriteSingle(2.5f);
        writer.WriteString(new string('é', 40));
        writer.WriteBinary(new byte[300]);
        writer.WriteExtension(9, new byte[20]);
        writer.WriteTimestamp(-5, 7);
        writer.WriteRaw(MsgPackP2PTests.RequestBytes);
    }

    private static byte[] StrHeader(int length) => unchecked(length switch
    {
        <= 31 => [(byte)(0xa0 | length)],
        <= 255 => [0xd9, (byte)length],
        <= 65535 => [0xda, (byte)(length >> 8), (byte)length],
        _ => [0xdb, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length],
    });

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];
}
