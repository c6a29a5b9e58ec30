using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Synapse.MessagePack;

// Encoders. Write* are unchecked: the caller guarantees room for the largest encoding of the kind (see the Max*
// constants). TryWrite* check the destination first and return false, writing nothing, when it is too small.
internal static partial class MsgPackPrimitives
{
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
}
