using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Synapse.MessagePack;

/// <summary>Outcome of decoding one token from a span.</summary>
internal enum DecodeResult : byte
{
    /// <summary>The token was decoded.</summary>
    Success,

    /// <summary>The next token is not of the requested kind.</summary>
    TokenMismatch,

    /// <summary>The span is empty.</summary>
    EmptyBuffer,

    /// <summary>The span ends inside the token.</summary>
    InsufficientBuffer,
}

/// <summary>
/// Layer 1 of the codec: pure span encoders and decoders, with no state and no allocation.
/// Decoders never read past the span and report <see cref="DecodeResult.InsufficientBuffer"/> instead;
/// for str/bin/ext they decode the header only, leaving the payload length check to the caller.
/// </summary>
internal static class MsgPackPrimitives
{
    /// <summary>Largest encoded size of any header or fixed-size scalar (int 64, float 64).</summary>
    public const int MaxScalarSize = 9;

    /// <summary>Largest token header as decoded by <see cref="TryReadTokenHeader"/> (ext 32: code, length, type).</summary>
    public const int MaxTokenHeaderSize = 6;

    // ---------------------------------------------------------------- encoders
    // Each encoder returns false (writing nothing meaningful) when the destination is too small.

    public static bool TryWriteNil(Span<byte> destination, out int written)
    {
        if (destination.IsEmpty)
        {
            written = 0;
            return false;
        }

        destination[0] = MsgPackCode.Nil;
        written = 1;
        return true;
    }

    public static bool TryWriteBoolean(Span<byte> destination, bool value, out int written)
    {
        if (destination.IsEmpty)
        {
            written = 0;
            return false;
        }

        destination[0] = value ? MsgPackCode.True : MsgPackCode.False;
        written = 1;
        return true;
    }

    /// <summary>Smallest encoding of an unsigned value: positive fixint or uint 8/16/32/64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWriteUInt64(Span<byte> destination, ulong value, out int written)
    {
        if (value <= MsgPackCode.PositiveFixIntMax && !destination.IsEmpty)
        {
            destination[0] = (byte)value;
            written = 1;
            return true;
        }

        return TryWriteUInt64Long(destination, value, out written);
    }

    private static bool TryWriteUInt64Long(Span<byte> destination, ulong value, out int written)
    {
        written = value switch
        {
            <= MsgPackCode.PositiveFixIntMax => 1,
            <= byte.MaxValue => 2,
            <= ushort.MaxValue => 3,
            <= uint.MaxValue => 5,
            _ => 9,
        };
        if (destination.Length < written)
        {
            written = 0;
            return false;
        }

        switch (written)
        {
            case 1:
                destination[0] = (byte)value;
                break;
            case 2:
                destination[1] = (byte)value;
                destination[0] = MsgPackCode.UInt8;
                break;
            case 3:
                BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(1), (ushort)value);
                destination[0] = MsgPackCode.UInt16;
                break;
            case 5:
                BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(1), (uint)value);
                destination[0] = MsgPackCode.UInt32;
                break;
            default:
                BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(1), value);
                destination[0] = MsgPackCode.UInt64;
                break;
        }

        return true;
    }

    /// <summary>
    /// Smallest encoding of a signed value. Non-negative values use the unsigned forms (like Python msgpack);
    /// negative values use negative fixint or int 8/16/32/64.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWriteInt64(Span<byte> destination, long value, out int written)
    {
        if (value >= 0)
        {
            return TryWriteUInt64(destination, (ulong)value, out written);
        }

        if (value >= -32 && !destination.IsEmpty)
        {
            destination[0] = unchecked((byte)value);
            written = 1;
            return true;
        }

        return TryWriteNegativeLong(destination, value, out written);
    }

    private static bool TryWriteNegativeLong(Span<byte> destination, long value, out int written)
    {
        written = value switch
        {
            >= -32 => 1,
            >= sbyte.MinValue => 2,
            >= short.MinValue => 3,
            >= int.MinValue => 5,
            _ => 9,
        };
        if (destination.Length < written)
        {
            written = 0;
            return false;
        }

        switch (written)
        {
            case 1:
                destination[0] = unchecked((byte)value);
                break;
            case 2:
                destination[1] = unchecked((byte)value);
                destination[0] = MsgPackCode.Int8;
                break;
            case 3:
                BinaryPrimitives.WriteInt16BigEndian(destination.Slice(1), (short)value);
                destination[0] = MsgPackCode.Int16;
                break;
            case 5:
                BinaryPrimitives.WriteInt32BigEndian(destination.Slice(1), (int)value);
                destination[0] = MsgPackCode.Int32;
                break;
            default:
                BinaryPrimitives.WriteInt64BigEndian(destination.Slice(1), value);
                destination[0] = MsgPackCode.Int64;
                break;
        }

        return true;
    }

    public static bool TryWriteDouble(Span<byte> destination, double value, out int written)
    {
        if (destination.Length < 9)
        {
            written = 0;
            return false;
        }

        BinaryPrimitives.WriteDoubleBigEndian(destination.Slice(1), value);
        destination[0] = MsgPackCode.Float64;
        written = 9;
        return true;
    }

    public static bool TryWriteSingle(Span<byte> destination, float value, out int written)
    {
        if (destination.Length < 5)
        {
            written = 0;
            return false;
        }

        BinaryPrimitives.WriteSingleBigEndian(destination.Slice(1), value);
        destination[0] = MsgPackCode.Float32;
        written = 5;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetStringHeaderLength(uint length) => length switch
    {
        <= 31 => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        _ => 5,
    };

    public static bool TryWriteStringHeader(Span<byte> destination, uint length, out int written)
    {
        written = GetStringHeaderLength(length);
        if (destination.Length < written)
        {
            written = 0;
            return false;
        }

        switch (written)
        {
            case 1:
                destination[0] = (byte)(MsgPackCode.FixStrMin | length);
                break;
            case 2:
                destination[0] = MsgPackCode.Str8;
                destination[1] = (byte)length;
                break;
            case 3:
                destination[0] = MsgPackCode.Str16;
                BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(1), (ushort)length);
                break;
            default:
                destination[0] = MsgPackCode.Str32;
                BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(1), length);
                break;
        }

        return true;
    }

    public static bool TryWriteBinaryHeader(Span<byte> destination, uint length, out int written) =>
        TryWriteSizedHeader(destination, length, MsgPackCode.Bin8, out written);

    public static bool TryWriteArrayHeader(Span<byte> destination, uint count, out int written) =>
        TryWriteCollectionHeader(destination, count, MsgPackCode.FixArrayMin, MsgPackCode.Array16, out written);

    public static bool TryWriteMapHeader(Span<byte> destination, uint count, out int written) =>
        TryWriteCollectionHeader(destination, count, MsgPackCode.FixMapMin, MsgPackCode.Map16, out written);

    /// <summary>fixext 1/2/4/8/16 when the payload size allows, else ext 8/16/32.</summary>
    public static bool TryWriteExtensionHeader(Span<byte> destination, sbyte typeCode, uint length, out int written)
    {
        byte fixCode = length switch
        {
            1 => MsgPackCode.FixExt1,
            2 => MsgPackCode.FixExt2,
            4 => MsgPackCode.FixExt4,
            8 => MsgPackCode.FixExt8,
            16 => MsgPackCode.FixExt16,
            _ => 0,
        };
        if (fixCode != 0)
        {
            if (destination.Length < 2)
            {
                written = 0;
                return false;
            }

            destination[0] = fixCode;
            destination[1] = unchecked((byte)typeCode);
            written = 2;
            return true;
        }

        if (!TryWriteSizedHeader(destination, length, MsgPackCode.Ext8, out int header) || destination.Length <= header)
        {
            written = 0;
            return false;
        }

        destination[header] = unchecked((byte)typeCode);
        written = header + 1;
        return true;
    }

    /// <summary>Timestamp extension (type -1) in the smallest of the 32, 64 and 96-bit forms.</summary>
    public static bool TryWriteTimestamp(Span<byte> destination, long seconds, uint nanoseconds, out int written)
    {
        if ((seconds >> 34) == 0)
        {
            ulong data64 = ((ulong)nanoseconds << 34) | (ulong)seconds;
            if ((data64 & 0xffffffff00000000UL) == 0)
            {
                written = 6;
                if (destination.Length < written)
                {
                    written = 0;
                    return false;
                }

                destination[0] = MsgPackCode.FixExt4;
                destination[1] = 0xff;
                BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(2), (uint)data64);
                return true;
            }

            written = 10;
            if (destination.Length < written)
            {
                written = 0;
                return false;
            }

            destination[0] = MsgPackCode.FixExt8;
            destination[1] = 0xff;
            BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(2), data64);
            return true;
        }

        written = 15;
        if (destination.Length < written)
        {
            written = 0;
            return false;
        }

        destination[0] = MsgPackCode.Ext8;
        destination[1] = 12;
        destination[2] = 0xff;
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(3), nanoseconds);
        BinaryPrimitives.WriteInt64BigEndian(destination.Slice(7), seconds);
        return true;
    }

    // bin 8/16/32 and ext 8/16/32 share the layout "code, big-endian length" with codes code8, code8+1, code8+2.
    private static bool TryWriteSizedHeader(Span<byte> destination, uint length, byte code8, out int written)
    {
        written = length switch
        {
            <= byte.MaxValue => 2,
            <= ushort.MaxValue => 3,
            _ => 5,
        };
        if (destination.Length < written)
        {
            written = 0;
            return false;
        }

        switch (written)
        {
            case 2:
                destination[0] = code8;
                destination[1] = (byte)length;
                break;
            case 3:
                destination[0] = (byte)(code8 + 1);
                BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(1), (ushort)length);
                break;
            default:
                destination[0] = (byte)(code8 + 2);
                BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(1), length);
                break;
        }

        return true;
    }

    private static bool TryWriteCollectionHeader(Span<byte> destination, uint count, byte fixMin, byte code16, out int written)
    {
        written = count switch
        {
            <= 15 => 1,
            <= ushort.MaxValue => 3,
            _ => 5,
        };
        if (destination.Length < written)
        {
            written = 0;
            return false;
        }

        switch (written)
        {
            case 1:
                destination[0] = (byte)(fixMin | count);
                break;
            case 3:
                destination[0] = code16;
                BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(1), (ushort)count);
                break;
            default:
                destination[0] = (byte)(code16 + 1);
                BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(1), count);
                break;
        }

        return true;
    }

    // ---------------------------------------------------------------- decoders

    public static DecodeResult TryReadNil(ReadOnlySpan<byte> source, out int consumed)
    {
        consumed = 0;
        if (source.IsEmpty)
        {
            return DecodeResult.EmptyBuffer;
        }

        if (source[0] != MsgPackCode.Nil)
        {
            return DecodeResult.TokenMismatch;
        }

        consumed = 1;
        return DecodeResult.Success;
    }

    public static DecodeResult TryReadBoolean(ReadOnlySpan<byte> source, out bool value, out int consumed)
    {
        consumed = 0;
        value = false;
        if (source.IsEmpty)
        {
            return DecodeResult.EmptyBuffer;
        }

        switch (source[0])
        {
            case MsgPackCode.True:
                value = true;
                break;
            case MsgPackCode.False:
                break;
            default:
                return DecodeResult.TokenMismatch;
        }

        consumed = 1;
        return DecodeResult.Success;
    }

    /// <summary>
    /// Decodes any integer encoding. <paramref name="raw"/> holds the value as a <see cref="long"/> bit pattern
    /// when <paramref name="negative"/> is true, else as a <see cref="ulong"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DecodeResult TryReadInteger(ReadOnlySpan<byte> source, out ulong raw, out bool negative, out int consumed)
    {
        if (!source.IsEmpty)
        {
            byte code = source[0];
            if (code <= MsgPackCode.PositiveFixIntMax)
            {
                raw = code;
                negative = false;
                consumed = 1;
                return DecodeResult.Success;
            }

            if (code >= MsgPackCode.NegativeFixIntMin)
            {
                raw = unchecked((ulong)(sbyte)code);
                negative = true;
                consumed = 1;
                return DecodeResult.Success;
            }
        }

        return TryReadIntegerLong(source, out raw, out negative, out consumed);
    }

    private static DecodeResult TryReadIntegerLong(ReadOnlySpan<byte> source, out ulong raw, out bool negative, out int consumed)
    {
        raw = 0;
        negative = false;
        consumed = 0;
        if (source.IsEmpty)
        {
            return DecodeResult.EmptyBuffer;
        }

        byte code = source[0];
        int size = code switch
        {
            <= MsgPackCode.PositiveFixIntMax or >= MsgPackCode.NegativeFixIntMin => 1,
            MsgPackCode.UInt8 or MsgPackCode.Int8 => 2,
            MsgPackCode.UInt16 or MsgPackCode.Int16 => 3,
            MsgPackCode.UInt32 or MsgPackCode.Int32 => 5,
            MsgPackCode.UInt64 or MsgPackCode.Int64 => 9,
            _ => 0,
        };
        if (size == 0)
        {
            return DecodeResult.TokenMismatch;
        }

        if (source.Length < size)
        {
            return DecodeResult.InsufficientBuffer;
        }

        ReadOnlySpan<byte> payload = source.Slice(1);
        long signed;
        switch (code)
        {
            case <= MsgPackCode.PositiveFixIntMax:
                raw = code;
                break;
            case >= MsgPackCode.NegativeFixIntMin:
                signed = (sbyte)code;
                goto Signed;
            case MsgPackCode.UInt8:
                raw = payload[0];
                break;
            case MsgPackCode.UInt16:
                raw = BinaryPrimitives.ReadUInt16BigEndian(payload);
                break;
            case MsgPackCode.UInt32:
                raw = BinaryPrimitives.ReadUInt32BigEndian(payload);
                break;
            case MsgPackCode.UInt64:
                raw = BinaryPrimitives.ReadUInt64BigEndian(payload);
                break;
            case MsgPackCode.Int8:
                signed = unchecked((sbyte)payload[0]);
                goto Signed;
            case MsgPackCode.Int16:
                signed = BinaryPrimitives.ReadInt16BigEndian(payload);
                goto Signed;
            case MsgPackCode.Int32:
                signed = BinaryPrimitives.ReadInt32BigEndian(payload);
                goto Signed;
            default:
                signed = BinaryPrimitives.ReadInt64BigEndian(payload);
                goto Signed;
        }

        consumed = size;
        return DecodeResult.Success;

    Signed:
        negative = signed < 0;
        raw = unchecked((ulong)signed);
        consumed = size;
        return DecodeResult.Success;
    }

    /// <summary>Decodes float 32, float 64 or any integer as a <see cref="double"/>.</summary>
    public static DecodeResult TryReadDouble(ReadOnlySpan<byte> source, out double value, out bool isSingle, out int consumed)
    {
        isSingle = false;
        if (!source.IsEmpty)
        {
            byte code = source[0];
            if (code == MsgPackCode.Float64)
            {
                if (source.Length < 9)
                {
                    value = 0;
                    consumed = 0;
                    return DecodeResult.InsufficientBuffer;
                }

                value = BinaryPrimitives.ReadDoubleBigEndian(source.Slice(1));
                consumed = 9;
                return DecodeResult.Success;
            }

            if (code == MsgPackCode.Float32)
            {
                if (source.Length < 5)
                {
                    value = 0;
                    consumed = 0;
                    return DecodeResult.InsufficientBuffer;
                }

                value = BinaryPrimitives.ReadSingleBigEndian(source.Slice(1));
                isSingle = true;
                consumed = 5;
                return DecodeResult.Success;
            }
        }

        DecodeResult result = TryReadInteger(source, out ulong raw, out bool negative, out consumed);
        value = negative ? unchecked((long)raw) : (double)raw;
        return result;
    }

    /// <summary>Decodes a str header: fixstr, str 8/16/32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DecodeResult TryReadStringHeader(ReadOnlySpan<byte> source, out uint length, out int consumed)
    {
        if (!source.IsEmpty && (source[0] & 0xe0) == MsgPackCode.FixStrMin)
        {
            length = source[0] & 0x1fu;
            consumed = 1;
            return DecodeResult.Success;
        }

        return TryReadSizedHeader(source, MsgPackCode.Str8, out length, out consumed);
    }

    /// <summary>Decodes a bin header: bin 8/16/32.</summary>
    public static DecodeResult TryReadBinaryHeader(ReadOnlySpan<byte> source, out uint length, out int consumed) =>
        TryReadSizedHeader(source, MsgPackCode.Bin8, out length, out consumed);

    /// <summary>Decodes an array header: fixarray, array 16/32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DecodeResult TryReadArrayHeader(ReadOnlySpan<byte> source, out uint count, out int consumed)
    {
        if (!source.IsEmpty && (source[0] & 0xf0) == MsgPackCode.FixArrayMin)
        {
            count = source[0] & 0x0fu;
            consumed = 1;
            return DecodeResult.Success;
        }

        return TryReadCollectionHeader(source, MsgPackCode.Array16, out count, out consumed);
    }

    /// <summary>Decodes a map header: fixmap, map 16/32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DecodeResult TryReadMapHeader(ReadOnlySpan<byte> source, out uint count, out int consumed)
    {
        if (!source.IsEmpty && (source[0] & 0xf0) == MsgPackCode.FixMapMin)
        {
            count = source[0] & 0x0fu;
            consumed = 1;
            return DecodeResult.Success;
        }

        return TryReadCollectionHeader(source, MsgPackCode.Map16, out count, out consumed);
    }

    /// <summary>Decodes an extension header (fixext 1–16, ext 8/16/32) up to and including the type code.</summary>
    public static DecodeResult TryReadExtensionHeader(ReadOnlySpan<byte> source, out sbyte typeCode, out uint length, out int consumed)
    {
        typeCode = 0;
        length = 0;
        consumed = 0;
        if (source.IsEmpty)
        {
            return DecodeResult.EmptyBuffer;
        }

        byte code = source[0];
        int header;
        switch (code)
        {
            case >= MsgPackCode.FixExt1 and <= MsgPackCode.FixExt16:
                length = 1u << (code - MsgPackCode.FixExt1);
                header = 1;
                break;
            case MsgPackCode.Ext8 or MsgPackCode.Ext16 or MsgPackCode.Ext32:
                DecodeResult result = TryReadSizedHeader(source, MsgPackCode.Ext8, out length, out header);
                if (result != DecodeResult.Success)
                {
                    return result;
                }

                break;
            default:
                return DecodeResult.TokenMismatch;
        }

        if (source.Length <= header)
        {
            return DecodeResult.InsufficientBuffer;
        }

        typeCode = unchecked((sbyte)source[header]);
        consumed = header + 1;
        return DecodeResult.Success;
    }

    /// <summary>
    /// Decodes the header of any token. For arrays and maps <paramref name="length"/> is the element
    /// (or pair) count; for every other type it is the number of payload bytes after the header.
    /// </summary>
    public static DecodeResult TryReadTokenHeader(ReadOnlySpan<byte> source, out MsgPackType type, out uint length, out int consumed)
    {
        type = MsgPackType.Nil;
        length = 0;
        consumed = 0;
        if (source.IsEmpty)
        {
            return DecodeResult.EmptyBuffer;
        }

        byte code = source[0];
        MsgPackType? found = MsgPackCode.GetType(code);
        if (found is not { } t)
        {
            return DecodeResult.TokenMismatch;
        }

        type = t;
        switch (t)
        {
            case MsgPackType.String:
                return TryReadStringHeader(source, out length, out consumed);
            case MsgPackType.Binary:
                return TryReadBinaryHeader(source, out length, out consumed);
            case MsgPackType.Array:
                return TryReadArrayHeader(source, out length, out consumed);
            case MsgPackType.Map:
                return TryReadMapHeader(source, out length, out consumed);
            case MsgPackType.Extension:
                return TryReadExtensionHeader(source, out _, out length, out consumed);
            default:
                consumed = 1;
                length = code switch
                {
                    MsgPackCode.UInt8 or MsgPackCode.Int8 => 1,
                    MsgPackCode.UInt16 or MsgPackCode.Int16 => 2,
                    MsgPackCode.UInt32 or MsgPackCode.Int32 or MsgPackCode.Float32 => 4,
                    MsgPackCode.UInt64 or MsgPackCode.Int64 or MsgPackCode.Float64 => 8,
                    _ => 0,
                };
                return DecodeResult.Success;
        }
    }

    /// <summary>Splits an instant into whole seconds since the Unix epoch (floored) and nanoseconds.</summary>
    public static void ToUnixTime(DateTimeOffset value, out long seconds, out uint nanoseconds)
    {
        long ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.Ticks;
        seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        nanoseconds = (uint)(remainder * 100);
    }

    /// <summary>Converts a timestamp to a <see cref="DateTimeOffset"/> (100 ns precision), or null when out of range.</summary>
    public static DateTimeOffset? ToDateTimeOffset(long seconds, uint nanoseconds)
    {
        const long MinSeconds = -62_135_596_800; // 0001-01-01T00:00:00Z
        const long MaxSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z
        if (seconds is < MinSeconds or > MaxSeconds || nanoseconds >= 1_000_000_000)
        {
            return null;
        }

        long ticks = DateTimeOffset.UnixEpoch.Ticks + (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100);
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>Decodes a timestamp payload of 4, 8 or 12 bytes; false if the length or nanoseconds are invalid.</summary>
    public static bool TryDecodeTimestamp(ReadOnlySpan<byte> payload, out long seconds, out uint nanoseconds)
    {
        switch (payload.Length)
        {
            case 4:
                seconds = BinaryPrimitives.ReadUInt32BigEndian(payload);
                nanoseconds = 0;
                return true;
            case 8:
                ulong data64 = BinaryPrimitives.ReadUInt64BigEndian(payload);
                nanoseconds = (uint)(data64 >> 34);
                seconds = (long)(data64 & 0x3ffffffffUL);
                return nanoseconds < 1_000_000_000;
            case 12:
                nanoseconds = BinaryPrimitives.ReadUInt32BigEndian(payload);
                seconds = BinaryPrimitives.ReadInt64BigEndian(payload.Slice(4));
                return nanoseconds < 1_000_000_000;
            default:
                seconds = 0;
                nanoseconds = 0;
                return false;
        }
    }

    // str 8/16/32, bin 8/16/32 and ext 8/16/32: code8, code8+1, code8+2 followed by a 1, 2 or 4-byte length.
    private static DecodeResult TryReadSizedHeader(ReadOnlySpan<byte> source, byte code8, out uint length, out int consumed)
    {
        length = 0;
        consumed = 0;
        if (source.IsEmpty)
        {
            return DecodeResult.EmptyBuffer;
        }

        int lengthSize = (source[0] - code8) switch
        {
            0 => 1,
            1 => 2,
            2 => 4,
            _ => 0,
        };
        if (lengthSize == 0)
        {
            return DecodeResult.TokenMismatch;
        }

        if (source.Length <= lengthSize)
        {
            return DecodeResult.InsufficientBuffer;
        }

        ReadOnlySpan<byte> payload = source.Slice(1);
        length = lengthSize switch
        {
            1 => payload[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(payload),
            _ => BinaryPrimitives.ReadUInt32BigEndian(payload),
        };
        consumed = 1 + lengthSize;
        return DecodeResult.Success;
    }

    private static DecodeResult TryReadCollectionHeader(ReadOnlySpan<byte> source, byte code16, out uint count, out int consumed)
    {
        count = 0;
        consumed = 0;
        if (source.IsEmpty)
        {
            return DecodeResult.EmptyBuffer;
        }

        byte code = source[0];
        if (code == code16)
        {
            if (source.Length < 3)
            {
                return DecodeResult.InsufficientBuffer;
            }

            count = BinaryPrimitives.ReadUInt16BigEndian(source.Slice(1));
            consumed = 3;
            return DecodeResult.Success;
        }

        if (code == code16 + 1)
        {
            if (source.Length < 5)
            {
                return DecodeResult.InsufficientBuffer;
            }

            count = BinaryPrimitives.ReadUInt32BigEndian(source.Slice(1));
            consumed = 5;
            return DecodeResult.Success;
        }

        return DecodeResult.TokenMismatch;
    }
}
