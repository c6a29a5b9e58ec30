using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    // Write* are unchecked: the caller guarantees room for the largest encoding of the kind (see the Max* constants).
    // TryWrite* check the destination first and return false, writing nothing, when it is too small.

    /// <summary>Largest string, binary, array or map header.</summary>
    public const int MaxHeaderSize = 5;

    /// <summary>Largest extension header (ext 32: code, length, type).</summary>
    public const int MaxExtensionHeaderSize = 6;

    /// <summary>Largest timestamp (timestamp 96).</summary>
    public const int MaxTimestampSize = 15;

    /// <summary>Smallest encoding of an unsigned value: positive fixint or uint 8/16/32/64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteUInt64(ref byte destination, ulong value)
    {
        if (value <= MsgPackCode.PositiveFixIntMax)
        {
            destination = (byte)value;
            return 1;
        }

        return WriteUInt64NotFix(ref destination, value);
    }

    /// <summary>
    /// Smallest encoding of a signed value. Non-negative values use the unsigned forms (like Python msgpack);
    /// negative values use negative fixint or int 8/16/32/64.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteInt64(ref byte destination, long value)
    {
        if (value >= 0)
        {
            return WriteUInt64(ref destination, (ulong)value);
        }

        if (value >= -32)
        {
            destination = unchecked((byte)value);
            return 1;
        }

        return WriteNegative(ref destination, value);
    }

    public static int WriteDouble(ref byte destination, double value)
    {
        destination = MsgPackCode.Float64;
        WriteBigEndian(ref Unsafe.Add(ref destination, 1), unchecked((ulong)BitConverter.DoubleToInt64Bits(value)));
        return 9;
    }

    public static int WriteSingle(ref byte destination, float value)
    {
        destination = MsgPackCode.Float32;
        WriteBigEndian(ref Unsafe.Add(ref destination, 1), BitConverter.SingleToUInt32Bits(value));
        return 5;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetStringHeaderLength(uint length) => length switch
    {
        <= 31 => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        _ => 5,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteStringHeader(ref byte destination, uint length)
    {
        if (length <= 31)
        {
            destination = (byte)(MsgPackCode.FixStrMin | length);
            return 1;
        }

        if (length <= byte.MaxValue)
        {
            destination = MsgPackCode.Str8;
            Unsafe.Add(ref destination, 1) = (byte)length;
            return 2;
        }

        return WriteSizedHeader(ref destination, length, MsgPackCode.Str8);
    }

    public static int WriteBinaryHeader(ref byte destination, uint length) =>
        WriteSizedHeader(ref destination, length, MsgPackCode.Bin8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteArrayHeader(ref byte destination, uint count)
    {
        if (count <= 15)
        {
            destination = (byte)(MsgPackCode.FixArrayMin | count);
            return 1;
        }

        return WriteCollectionHeader(ref destination, count, MsgPackCode.Array16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteMapHeader(ref byte destination, uint count)
    {
        if (count <= 15)
        {
            destination = (byte)(MsgPackCode.FixMapMin | count);
            return 1;
        }

        return WriteCollectionHeader(ref destination, count, MsgPackCode.Map16);
    }

    /// <summary>fixext 1/2/4/8/16 when the payload size allows, else ext 8/16/32.</summary>
    public static int WriteExtensionHeader(ref byte destination, sbyte typeCode, uint length)
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
        int header = 1;
        if (fixCode != 0)
        {
            destination = fixCode;
        }
        else
        {
            header = WriteSizedHeader(ref destination, length, MsgPackCode.Ext8);
        }

        Unsafe.Add(ref destination, header) = unchecked((byte)typeCode);
        return header + 1;
    }

    /// <summary>Timestamp extension (type -1) in the smallest of the 32, 64 and 96-bit forms.</summary>
    public static int WriteTimestamp(ref byte destination, long seconds, uint nanoseconds)
    {
        if ((seconds >> 34) == 0)
        {
            ulong data64 = ((ulong)nanoseconds << 34) | (ulong)seconds;
            if ((data64 & 0xffffffff00000000UL) == 0)
            {
                destination = MsgPackCode.FixExt4;
                Unsafe.Add(ref destination, 1) = 0xff;
                WriteBigEndian(ref Unsafe.Add(ref destination, 2), (uint)data64);
                return 6;
            }

            destination = MsgPackCode.FixExt8;
            Unsafe.Add(ref destination, 1) = 0xff;
            WriteBigEndian(ref Unsafe.Add(ref destination, 2), data64);
            return 10;
        }

        destination = MsgPackCode.Ext8;
        Unsafe.Add(ref destination, 1) = 12;
        Unsafe.Add(ref destination, 2) = 0xff;
        WriteBigEndian(ref Unsafe.Add(ref destination, 3), nanoseconds);
        WriteBigEndian(ref Unsafe.Add(ref destination, 7), unchecked((ulong)seconds));
        return 15;
    }

    public static bool TryWriteNil(Span<byte> destination, out int written) =>
        TryWriteByte(destination, MsgPackCode.Nil, out written);

    public static bool TryWriteBoolean(Span<byte> destination, bool value, out int written) =>
        TryWriteByte(destination, value ? MsgPackCode.True : MsgPackCode.False, out written);

    public static bool TryWriteUInt64(Span<byte> destination, ulong value, out int written)
    {
        int size = value switch
        {
            <= MsgPackCode.PositiveFixIntMax => 1,
            <= byte.MaxValue => 2,
            <= ushort.MaxValue => 3,
            <= uint.MaxValue => 5,
            _ => 9,
        };
        return Fits(destination, size, out written) && Wrote(WriteUInt64(ref MemoryMarshal.GetReference(destination), value), out written);
    }

    public static bool TryWriteInt64(Span<byte> destination, long value, out int written)
    {
        if (value >= 0)
        {
            return TryWriteUInt64(destination, (ulong)value, out written);
        }

        int size = value switch
        {
            >= -32 => 1,
            >= sbyte.MinValue => 2,
            >= short.MinValue => 3,
            >= int.MinValue => 5,
            _ => 9,
        };
        return Fits(destination, size, out written) && Wrote(WriteInt64(ref MemoryMarshal.GetReference(destination), value), out written);
    }

    public static bool TryWriteDouble(Span<byte> destination, double value, out int written) =>
        Fits(destination, 9, out written) && Wrote(WriteDouble(ref MemoryMarshal.GetReference(destination), value), out written);

    public static bool TryWriteSingle(Span<byte> destination, float value, out int written) =>
        Fits(destination, 5, out written) && Wrote(WriteSingle(ref MemoryMarshal.GetReference(destination), value), out written);

    public static bool TryWriteStringHeader(Span<byte> destination, uint length, out int written) =>
        Fits(destination, GetStringHeaderLength(length), out written)
        && Wrote(WriteStringHeader(ref MemoryMarshal.GetReference(destination), length), out written);

    public static bool TryWriteBinaryHeader(Span<byte> destination, uint length, out int written) =>
        Fits(destination, GetSizedHeaderLength(length), out written)
        && Wrote(WriteBinaryHeader(ref MemoryMarshal.GetReference(destination), length), out written);

    public static bool TryWriteArrayHeader(Span<byte> destination, uint count, out int written) =>
        Fits(destination, GetCollectionHeaderLength(count), out written)
        && Wrote(WriteArrayHeader(ref MemoryMarshal.GetReference(destination), count), out written);

    public static bool TryWriteMapHeader(Span<byte> destination, uint count, out int written) =>
        Fits(destination, GetCollectionHeaderLength(count), out written)
        && Wrote(WriteMapHeader(ref MemoryMarshal.GetReference(destination), count), out written);

    public static bool TryWriteExtensionHeader(Span<byte> destination, sbyte typeCode, uint length, out int written) =>
        Fits(destination, length is 1 or 2 or 4 or 8 or 16 ? 2 : GetSizedHeaderLength(length) + 1, out written)
        && Wrote(WriteExtensionHeader(ref MemoryMarshal.GetReference(destination), typeCode, length), out written);

    public static bool TryWriteTimestamp(Span<byte> destination, long seconds, uint nanoseconds, out int written)
    {
        int size = (seconds >> 34) != 0 ? 15 : ((((ulong)nanoseconds << 34) | (ulong)seconds) >> 32) == 0 ? 6 : 10;
        return Fits(destination, size, out written)
            && Wrote(WriteTimestamp(ref MemoryMarshal.GetReference(destination), seconds, nanoseconds), out written);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBigEndian(ref byte destination, ushort value) =>
        Unsafe.WriteUnaligned(ref destination, BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBigEndian(ref byte destination, uint value) =>
        Unsafe.WriteUnaligned(ref destination, BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBigEndian(ref byte destination, ulong value) =>
        Unsafe.WriteUnaligned(ref destination, BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    private static int WriteUInt64NotFix(ref byte destination, ulong value)
    {
        if (value <= byte.MaxValue)
        {
            destination = MsgPackCode.UInt8;
            Unsafe.Add(ref destination, 1) = (byte)value;
            return 2;
        }

        if (value <= ushort.MaxValue)
        {
            destination = MsgPackCode.UInt16;
            WriteBigEndian(ref Unsafe.Add(ref destination, 1), (ushort)value);
            return 3;
        }

        if (value <= uint.MaxValue)
        {
            destination = MsgPackCode.UInt32;
            WriteBigEndian(ref Unsafe.Add(ref destination, 1), (uint)value);
            return 5;
        }

        destination = MsgPackCode.UInt64;
        WriteBigEndian(ref Unsafe.Add(ref destination, 1), value);
        return 9;
    }

    private static int WriteNegative(ref byte destination, long value)
    {
        if (value >= sbyte.MinValue)
        {
            destination = MsgPackCode.Int8;
            Unsafe.Add(ref destination, 1) = unchecked((byte)value);
            return 2;
        }

        if (value >= short.MinValue)
        {
            destination = MsgPackCode.Int16;
            WriteBigEndian(ref Unsafe.Add(ref destination, 1), unchecked((ushort)value));
            return 3;
        }

        if (value >= int.MinValue)
        {
            destination = MsgPackCode.Int32;
            WriteBigEndian(ref Unsafe.Add(ref destination, 1), unchecked((uint)value));
            return 5;
        }

        destination = MsgPackCode.Int64;
        WriteBigEndian(ref Unsafe.Add(ref destination, 1), unchecked((ulong)value));
        return 9;
    }

    private static int GetSizedHeaderLength(uint length) => length switch
    {
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        _ => 5,
    };

    private static int GetCollectionHeaderLength(uint count) => count switch
    {
        <= 15 => 1,
        <= ushort.MaxValue => 3,
        _ => 5,
    };

    // str/bin/ext 8, 16 and 32 share the layout "code, big-endian length" with codes code8, code8 + 1 and code8 + 2.
    private static int WriteSizedHeader(ref byte destination, uint length, byte code8)
    {
        if (length <= byte.MaxValue)
        {
            destination = code8;
            Unsafe.Add(ref destination, 1) = (byte)length;
            return 2;
        }

        if (length <= ushort.MaxValue)
        {
            destination = (byte)(code8 + 1);
            WriteBigEndian(ref Unsafe.Add(ref destination, 1), (ushort)length);
            return 3;
        }

        destination = (byte)(code8 + 2);
        WriteBigEndian(ref Unsafe.Add(ref destination, 1), length);
        return 5;
    }

    private static int WriteCollectionHeader(ref byte destination, uint count, byte code16)
    {
        if (count <= ushort.MaxValue)
        {
            destination = code16;
            WriteBigEndian(ref Unsafe.Add(ref destination, 1), (ushort)count);
            return 3;
        }

        destination = (byte)(code16 + 1);
        WriteBigEndian(ref Unsafe.Add(ref destination, 1), count);
        return 5;
    }

    private static bool TryWriteByte(Span<byte> destination, byte code, out int written)
    {
        if (destination.IsEmpty)
        {
            written = 0;
            return false;
        }

        destination[0] = code;
        written = 1;
        return true;
    }

    private static bool Fits(Span<byte> destination, int size, out int written)
    {
        written = 0;
        return destination.Length >= size;
    }

    private static bool Wrote(int count, out int written)
    {
        written = count;
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
