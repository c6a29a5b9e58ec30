using System.Buffers;
using System.Text;
using Synapse.MessagePack;

namespace Synapse.Tests.MessagePack;

public class MsgPackReaderTests
{
    [Fact]
    public void Peeking_does_not_consume()
    {
        var reader = new MsgPackReader(Hex.Parse("c0 01 a1 61"));
        Assert.Equal(MsgPackType.Nil, reader.NextType);
        Assert.True(reader.IsNil);
        Assert.Equal(0, reader.Consumed);
        Assert.True(reader.TryReadNil());
        Assert.False(reader.IsNil);
        Assert.False(reader.TryReadNil());
        Assert.Equal(MsgPackType.Integer, reader.NextType);
        Assert.Equal(1, reader.ReadByte());
        Assert.Equal(MsgPackType.String, reader.NextType);
        Assert.False(reader.End);
        Assert.Equal("a", reader.ReadNullableString());
        Assert.True(reader.End);
        Assert.False(reader.IsNil);
        Assert.False(reader.TryReadNil());
        Assert.Equal(4, reader.Consumed);
        Assert.Equal(0, reader.Remaining);
        Assert.Throws<MsgPackException>(() => new MsgPackReader(ReadOnlyMemory<byte>.Empty).NextType);
    }

    [Fact]
    public void ReadNullableString_accepts_nil()
    {
        var reader = new MsgPackReader(Hex.Parse("c0"));
        Assert.Null(reader.ReadNullableString());
        Assert.True(reader.End);
    }

    [Fact]
    public void Floats_and_integers_convert_to_floating_point()
    {
        Assert.Equal(1.5, new MsgPackReader(Hex.Parse("ca 3f c0 00 00")).ReadDouble());
        Assert.Equal(1.5f, new MsgPackReader(Hex.Parse("cb 3f f8 00 00 00 00 00 00")).ReadSingle());
        Assert.Equal(-200.0, new MsgPackReader(Hex.Parse("d1 ff 38")).ReadDouble());
        Assert.Equal(200f, new MsgPackReader(Hex.Parse("cc c8")).ReadSingle());
        Assert.Equal((float)Math.PI, new MsgPackReader(Hex.Parse("cb 40 09 21 fb 54 44 2d 18")).ReadSingle());
    }

    [Fact]
    public void Integer_readers_accept_every_encoding()
    {
        foreach (string hex in new[] { "05", "cc 05", "cd 00 05", "ce 00 00 00 05", "cf 00 00 00 00 00 00 00 05", "d0 05", "d1 00 05", "d2 00 00 00 05", "d3 00 00 00 00 00 00 00 05" })
        {
            byte[] input = Hex.Parse(hex);
            Assert.Equal(5, new MsgPackReader(input).ReadByte());
            Assert.Equal(5, new MsgPackReader(input).ReadSByte());
            Assert.Equal(5, new MsgPackReader(input).ReadInt16());
            Assert.Equal(5, new MsgPackReader(input).ReadUInt16());
            Assert.Equal(5, new MsgPackReader(input).ReadInt32());
            Assert.Equal(5u, new MsgPackReader(input).ReadUInt32());
            Assert.Equal(5, new MsgPackReader(input).ReadInt64());
            Assert.Equal(5u, new MsgPackReader(input).ReadUInt64());
        }

        Assert.Equal(sbyte.MinValue, new MsgPackReader(Hex.Parse("d3 ff ff ff ff ff ff ff 80")).ReadSByte());
        Assert.Equal(short.MinValue, new MsgPackReader(Hex.Parse("d2 ff ff 80 00")).ReadInt16());
        Assert.Equal(int.MinValue, new MsgPackReader(Hex.Parse("d3 ff ff ff ff 80 00 00 00")).ReadInt32());
        Assert.Equal(uint.MaxValue, new MsgPackReader(Hex.Parse("d3 00 00 00 00 ff ff ff ff")).ReadUInt32());
        Assert.Equal(-32, new MsgPackReader(Hex.Parse("e0")).ReadSByte());
    }

    [Fact]
    public void Tokens_split_at_every_position_decode()
    {
        byte[] input = MsgPackP2PTests.RequestBytes;
        MsgPackValue expected = MsgPackValue.Parse(input);
        for (int cut = 1; cut < input.Length; cut++)
        {
            for (int second = cut + 1; second < input.Length; second += 3)
            {
                ReadOnlySequence<byte> sequence = TestSequences.SplitAt(input, cut, second);
                Assert.Equal(expected, MsgPackValue.Parse(sequence));
                var reader = new MsgPackReader(sequence);
                Assert.Equal(Hex.Format(input), Hex.Format(reader.ReadRaw().ToArray()));
            }
        }
    }

    [Fact]
    public void TryReadStringSpan_returns_false_without_consuming_when_split()
    {
        byte[] input = Hex.Parse("a4 f0 9f 8d ba");
        var reader = new MsgPackReader(TestSequences.SplitAt(input, 3));
        Assert.False(reader.TryReadStringSpan(out ReadOnlySpan<byte> span));
        Assert.True(span.IsEmpty);
        Assert.Equal(0, reader.Consumed);
        ReadOnlySequence<byte> sequence = reader.ReadStringSequence();
        Assert.False(sequence.IsSingleSegment);
        Assert.Equal("🍺", Encoding.UTF8.GetString(sequence.ToArray()));
        Assert.True(reader.End);

        // Header split from the payload.
        reader = new MsgPackReader(TestSequences.SplitAt(input, 1));
        Assert.False(reader.TryReadStringSpan(out _));
        Assert.Equal("🍺", reader.ReadString());

        reader = new MsgPackReader(input);
        Assert.True(reader.TryReadStringSpan(out span));
        Assert.True(span.SequenceEqual("🍺"u8));
    }

    [Fact]
    public void Long_strings_split_across_segments()
    {
        string text = string.Concat(Enumerable.Repeat("aé한🍺", 200));
        byte[] encoded = MsgPackValue.From(text).ToBytes();
        foreach (int size in new[] { 1, 2, 3, 7, 100, 1000 })
        {
            Assert.Equal(text, new MsgPackReader(TestSequences.Split(encoded, size)).ReadString());
            Assert.Equal(text, Encoding.UTF8.GetString(new MsgPackReader(TestSequences.Split(encoded, size)).ReadStringSequence().ToArray()));
        }
    }

    [Fact]
    public void Binary_sequences_are_slices_of_the_input()
    {
        byte[] input = Hex.Parse("c4 03 01 02 03 c0");
        var reader = new MsgPackReader(TestSequences.Split(input, 2));
        ReadOnlySequence<byte> bytes = reader.ReadBinarySequence();
        Assert.Equal(new byte[] { 1, 2, 3 }, bytes.ToArray());
        Assert.True(reader.IsNil);
        Assert.Empty(new MsgPackReader(Hex.Parse("c4 00")).ReadBinary());
    }

    [Fact]
    public void Sequence_and_Position_track_the_input()
    {
        ReadOnlySequence<byte> input = TestSequences.Split(MsgPackP2PTests.RequestBytes, 5);
        var reader = new MsgPackReader(input);
        Assert.Equal(input.Length, reader.Sequence.Length);
        reader.ReadMapHeader();
        reader.Skip();
        Assert.Equal(10, reader.Consumed);
        Assert.Equal(input.Slice(10).ToArray(), reader.Sequence.Slice(reader.Position).ToArray());
    }

    [Fact]
    public void Extension_header_then_payload()
    {
        var reader = new MsgPackReader(Hex.Parse("c7 03 07 70 71 72"));
        Assert.Equal(3, reader.ReadExtensionHeader(out sbyte type));
        Assert.Equal(7, type);
        Assert.Equal(3, reader.Remaining);
    }

    [Fact]
    public void Skip_handles_every_type()
    {
        MsgPackValue value = MsgPackValue.FromArray(
        [
            MsgPackValue.Nil, true, 1, -1, ulong.MaxValue, long.MinValue, 1.5, MsgPackValue.From(2.5f), "str",
            MsgPackValue.FromBinary(new byte[300]), MsgPackValue.FromTimestamp(DateTimeOffset.UnixEpoch),
            MsgPackValue.FromExtension(new MsgPackExtension(3, new byte[70_000])),
            MsgPackValue.FromArray([MsgPackValue.FromArray([]), MsgPackValue.FromMap(new Dictionary<string, MsgPackValue>())]),
            MsgPackValue.FromMap(new Dictionary<string, MsgPackValue> { ["a"] = MsgPackValue.FromArray([1, 2, 3]), ["b"] = new string('x', 70_000) }),
        ]);
        byte[] encoded = [.. value.ToBytes(), 0xc3];
        foreach (ReadOnlySequence<byte> sequence in new[] { new ReadOnlySequence<byte>(encoded), TestSequences.Split(encoded, 1) })
        {
            var reader = new MsgPackReader(sequence);
            reader.Skip();
            Assert.True(reader.ReadBoolean());
            Assert.True(reader.End);
        }
    }

    [Fact]
    public void Reading_primitives_does_not_allocate()
    {
        byte[] input = MsgPackP2PTests.RequestBytes;
        Run(input);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Run(input);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Run(byte[] input)
        {
            var reader = new MsgPackReader(input);
            reader.ReadMapHeader();
            reader.TryReadStringSpan(out _);
            reader.ReadStringSequence();
            reader.Skip();
            reader.ReadRaw();
            reader.Skip();
            reader.ReadArrayHeader();
            reader.ReadInt32();
            reader.ReadDouble();
            reader.Skip();
            reader.ReadMapHeader();
            reader.Skip();
            reader.Skip();
        }
    }
}
