using System.Buffers;
using Synapse.MessagePack;

namespace Synapse.Tests.MessagePack;

/// <summary>Layer 1 (span encoders/decoders) and the sequence cursor under the reader.</summary>
public class MsgPackPrimitivesTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(127L)]
    [InlineData(200L)]
    [InlineData(70_000L)]
    [InlineData(1L << 40)]
    [InlineData(-1L)]
    [InlineData(-200L)]
    [InlineData(-70_000L)]
    [InlineData(long.MinValue)]
    public void Integers_encode_only_when_they_fit_and_decode_back(long value)
    {
        string expected = MsgPackP2PTests.Encode((ref w) => w.WriteInt64(value));
        int size = expected.Length / 2;
        Span<byte> destination = stackalloc byte[16];
        Assert.False(MsgPackPrimitives.TryWriteInt64(destination[..(size - 1)], value, out int written));
        Assert.Equal(0, written);
        Assert.True(MsgPackPrimitives.TryWriteInt64(destination[..size], value, out written));
        Assert.Equal(expected, Hex.Format(destination[..written]));

        Assert.Equal(DecodeResult.Success, MsgPackPrimitives.TryReadInteger(destination[..size], out ulong raw, out bool negative, out int consumed));
        Assert.Equal(size, consumed);
        Assert.Equal(value < 0, negative);
        Assert.Equal(value, unchecked((long)raw));
        Assert.Equal(DecodeResult.Success, MsgPackPrimitives.TryReadDouble(destination[..size], out double asDouble, out _, out _));
        Assert.Equal((double)value, asDouble);
        if (size > 1)
        {
            Assert.Equal(DecodeResult.InsufficientBuffer, MsgPackPrimitives.TryReadInteger(destination[..(size - 1)], out _, out _, out _));
        }
    }

    [Fact]
    public void Decoders_report_empty_insufficient_and_mismatch()
    {
        Assert.Equal(DecodeResult.EmptyBuffer, MsgPackPrimitives.TryReadInteger([], out _, out _, out _));
        Assert.Equal(DecodeResult.TokenMismatch, MsgPackPrimitives.TryReadInteger([0xc0], out _, out _, out _));
        Assert.Equal(DecodeResult.InsufficientBuffer, MsgPackPrimitives.TryReadStringHeader([0xda, 0x00], out _, out _));
        Assert.Equal(DecodeResult.TokenMismatch, MsgPackPrimitives.TryReadStringHeader([0xc4, 0x00], out _, out _));
        Assert.Equal(DecodeResult.Success, MsgPackPrimitives.TryReadBinaryHeader([0xc5, 0x01, 0x00], out uint length, out int consumed));
        Assert.Equal((256u, 3), (length, consumed));
        Assert.Equal(DecodeResult.InsufficientBuffer, MsgPackPrimitives.TryReadExtensionHeader([0xd4], out _, out _, out _));
        Assert.Equal(DecodeResult.Success, MsgPackPrimitives.TryReadExtensionHeader([0xc8, 0x01, 0x00, 0xfe], out sbyte type, out length, out consumed));
        Assert.Equal((-2, 256u, 4), ((int)type, length, consumed));
        Assert.Equal(DecodeResult.TokenMismatch, MsgPackPrimitives.TryReadTokenHeader([0xc1], out _, out _, out _));
        Assert.Equal(DecodeResult.Success, MsgPackPrimitives.TryReadTokenHeader([0xcb], out MsgPackType tokenType, out length, out consumed));
        Assert.Equal((MsgPackType.Float, 8u, 1), (tokenType, length, consumed));
        Assert.Equal(DecodeResult.Success, MsgPackPrimitives.TryReadMapHeader([0xdf, 0, 1, 0, 0], out uint count, out _));
        Assert.Equal(65536u, count);
        Assert.Equal(DecodeResult.Success, MsgPackPrimitives.TryReadBoolean([0xc3], out bool flag, out _));
        Assert.True(flag);
        Assert.Equal(DecodeResult.Success, MsgPackPrimitives.TryReadNil([0xc0], out _));
    }

    [Fact]
    public void Span_encoders_match_the_writer()
    {
        Span<byte> destination = stackalloc byte[16];
        Check(destination, MsgPackPrimitives.TryWriteNil(destination, out int n), n, "c0");
        Check(destination, MsgPackPrimitives.TryWriteBoolean(destination, true, out n), n, "c3");
        Check(destination, MsgPackPrimitives.TryWriteUInt64(destination, ulong.MaxValue, out n), n, "cfffffffffffffffff");
        Check(destination, MsgPackPrimitives.TryWriteDouble(destination, 1.5, out n), n, "cb3ff8000000000000");
        Check(destination, MsgPackPrimitives.TryWriteSingle(destination, 1.5f, out n), n, "ca3fc00000");
        Check(destination, MsgPackPrimitives.TryWriteStringHeader(destination, 300, out n), n, "da012c");
        Check(destination, MsgPackPrimitives.TryWriteBinaryHeader(destination, 3, out n), n, "c403");
        Check(destination, MsgPackPrimitives.TryWriteArrayHeader(destination, 16, out n), n, "dc0010");
        Check(destination, MsgPackPrimitives.TryWriteMapHeader(destination, 70_000, out n), n, "df00011170");
        Check(destination, MsgPackPrimitives.TryWriteExtensionHeader(destination, 5, 4, out n), n, "d605");
        Check(destination, MsgPackPrimitives.TryWriteExtensionHeader(destination, 5, 3, out n), n, "c70305");
        Check(destination, MsgPackPrimitives.TryWriteTimestamp(destination, 1, 0, out n), n, "d6ff00000001");
        Check(destination, MsgPackPrimitives.TryWriteTimestamp(destination, 0, 1, out n), n, "d7ff0000000400000000");
        Check(destination, MsgPackPrimitives.TryWriteTimestamp(destination, -1, 0, out n), n, "c70cff00000000ffffffffffffffff");

        Assert.False(MsgPackPrimitives.TryWriteNil([], out _));
        Assert.False(MsgPackPrimitives.TryWriteStringHeader(destination[..2], 300, out _));
        Assert.False(MsgPackPrimitives.TryWriteExtensionHeader(destination[..2], 5, 3, out _));
        Assert.False(MsgPackPrimitives.TryWriteTimestamp(destination[..14], -1, 0, out _));
        Assert.False(MsgPackPrimitives.TryWriteDouble(destination[..8], 1, out _));

        static void Check(Span<byte> destination, bool ok, int written, string expected)
        {
            Assert.True(ok);
            Assert.Equal(expected, Hex.Format(destination[..written]));
        }
    }

    [Fact]
    public void Empty_segments_and_sliced_sequences_are_handled()
    {
        byte[] request = MsgPackP2PTests.RequestBytes;
        ReadOnlySequence<byte> withEmpties = TestSequences.FromSegments([], request[..1], [], [], request[1..10], [], request[10..], []);
        Assert.Equal(MsgPackValue.Parse(request), MsgPackValue.Parse(withEmpties));
        var reader = new MsgPackReader(withEmpties);
        Assert.Equal(Hex.Format(request), Hex.Format(reader.ReadRaw().ToArray()));
        Assert.True(reader.End);
        Assert.Equal(request.Length, reader.Consumed);
        Assert.True(reader.Sequence.Slice(reader.Position).IsEmpty);

        // A sequence that starts and ends inside segments.
        byte[] padded = [0xff, 0xff, .. request, 0xee];
        ReadOnlySequence<byte> sliced = TestSequences.Split(padded, 4).Slice(2, request.Length);
        reader = new MsgPackReader(sliced);
        Assert.Equal(5, reader.ReadMapHeader());
        Assert.Equal("endpoint", reader.ReadString());
        Assert.Equal(10, reader.Consumed);
        Assert.Equal(request[10..], reader.Sequence.Slice(reader.Position).ToArray());
        Assert.Equal(MsgPackValue.Parse(request), MsgPackValue.Parse(sliced));

        Assert.True(new MsgPackReader(TestSequences.FromSegments([], [])).End);
        Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(TestSequences.FromSegments([], [])));
    }
}
