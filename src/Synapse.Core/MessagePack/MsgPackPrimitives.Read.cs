using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Synapse.MessagePack;

// Decoders. They never read past the span and report DecodeResult.InsufficientBuffer instead; for str, bin and ext
// they decode the header only and leave the payload length check to the caller.
internal static partial class MsgPackPrimitives
{
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

        ref byte start = ref MemoryMarshal.GetReference(source);
        ref byte payload = ref Unsafe.Add(ref start, 1);

        // uint 8/16/32/64 are 0xcc-0xcf and int 8/16/32/64 are 0xd0-0xd3. With 8 readable payload bytes, load them
        // all and shift the value down: a logical shift for uint, an arithmetic (sign-extending) one for int.
        uint index = unchecked((uint)start - MsgPackCode.UInt8);
        if (index <= 7 && source.Length >= 9)
        {
            int payloadSize = 1 << (int)(index & 3);
            int shift = 64 - (payloadSize * 8);
            ulong word = ReadBigEndianUInt64(ref payload);
            if (index < 4)
            {
                raw = word >> shift;
            }
            else
            {
                long value = unchecked((long)word) >> shift;
                raw = unchecked((ulong)value);
                negative = value < 0;
            }

            consumed = payloadSize + 1;
            return DecodeResult.Success;
        }

        long signed;
        switch (start)
        {
            case <= MsgPackCode.PositiveFixIntMax:
                raw = start;
                consumed = 1;
                return DecodeResult.Success;
            case >= MsgPackCode.NegativeFixIntMin:
                signed = unchecked((sbyte)start);
                consumed = 1;
                break;
            case MsgPackCode.UInt8 when source.Length >= 2:
                raw = payload;
                consumed = 2;
                return DecodeResult.Success;
            case MsgPackCode.UInt16 when source.Length >= 3:
                raw = ReadBigEndianUInt16(ref payload);
                consumed = 3;
                return DecodeResult.Success;
            case MsgPackCode.UInt32 when source.Length >= 5:
                raw = ReadBigEndianUInt32(ref payload);
                consumed = 5;
                return DecodeResult.Success;
            case MsgPackCode.UInt64 when source.Length >= 9:
                raw = ReadBigEndianUInt64(ref payload);
                consumed = 9;
                return DecodeResult.Success;
            case MsgPackCode.Int8 when source.Length >= 2:
                signed = unchecked((sbyte)payload);
                consumed = 2;
                break;
            case MsgPackCode.Int16 when source.Length >= 3:
                signed = unchecked((short)ReadBigEndianUInt16(ref payload));
                consumed = 3;
                break;
            case MsgPackCode.Int32 when source.Length >= 5:
                signed = unchecked((int)ReadBigEndianUInt32(ref payload));
                consumed = 5;
                break;
            case MsgPackCode.Int64 when source.Length >= 9:
                signed = unchecked((long)ReadBigEndianUInt64(ref payload));
                consumed = 9;
                break;
            case >= MsgPackCode.UInt8 and <= MsgPackCode.Int64:
                return DecodeResult.InsufficientBuffer;
            default:
                return DecodeResult.TokenMismatch;
        }

        negative = signed < 0;
        raw = unchecked((ulong)signed);
        return DecodeResult.Success;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort ReadBigEndianUInt16(ref byte source)
    {
        ushort value = Unsafe.ReadUnaligned<ushort>(ref source);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadBigEndianUInt32(ref byte source)
    {
        uint value = Unsafe.ReadUnaligned<uint>(ref source);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadBigEndianUInt64(ref byte source)
    {
        ulong value = Unsafe.ReadUnaligned<ulong>(ref source);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
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
