using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Synapse.MessagePack;

/// <summary>
/// Reads MessagePack from a <see cref="ReadOnlySequence{T}"/>. Tokens that lie within the current segment are
/// decoded in place; tokens split across segments are first copied to a small stack buffer.
/// </summary>
/// <remarks>
/// Every declared length is checked against the remaining input before anything is allocated, nesting is limited
/// by <see cref="MsgPackReaderOptions.MaxDepth"/>, and every error is reported as a <see cref="MsgPackException"/>
/// naming the byte offset.
/// </remarks>
public ref partial struct MsgPackReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private SequenceCursor _cursor;
    private readonly int _maxDepth;
    private int _depth;

    /// <summary>Creates a reader over <paramref name="input"/>.</summary>
    /// <param name="input">The MessagePack data.</param>
    /// <param name="options">Limits; <see cref="MsgPackReaderOptions.Default"/> when null.</param>
    public MsgPackReader(ReadOnlySequence<byte> input, MsgPackReaderOptions? options = null)
    {
        Options = options ?? MsgPackReaderOptions.Default;
        _cursor = new SequenceCursor(input);
        _maxDepth = Options.MaxDepth;
        _depth = 0;
    }

    /// <summary>Creates a reader over <paramref name="input"/>.</summary>
    /// <param name="input">The MessagePack data.</param>
    /// <param name="options">Limits; <see cref="MsgPackReaderOptions.Default"/> when null.</param>
    public MsgPackReader(ReadOnlyMemory<byte> input, MsgPackReaderOptions? options = null)
        : this(new ReadOnlySequence<byte>(input), options)
    {
    }

    /// <summary>The options this reader enforces.</summary>
    public MsgPackReaderOptions Options { get; }

    /// <summary>Bytes consumed so far; also the offset reported in exceptions.</summary>
    public readonly long Consumed => _cursor.Consumed;

    /// <summary>Bytes left to read.</summary>
    public readonly long Remaining => _cursor.Remaining;

    /// <summary>Whether all input has been consumed.</summary>
    public readonly bool End => _cursor.End;

    /// <summary>Current nesting depth, as tracked by <see cref="IncreaseDepth"/> and <see cref="DecreaseDepth"/>.</summary>
    public readonly int Depth => _depth;

    /// <summary>The whole input.</summary>
    public readonly ReadOnlySequence<byte> Sequence => _cursor.Sequence;

    /// <summary>The position of the next unread byte in <see cref="Sequence"/>.</summary>
    public readonly SequencePosition Position => _cursor.Position;

    /// <summary>The type of the next value, without consuming it.</summary>
    /// <exception cref="MsgPackException">The input is exhausted or the next byte is the never-used 0xc1.</exception>
    public readonly MsgPackType NextType
    {
        get
        {
            if (!_cursor.TryPeek(out byte code))
            {
                throw CreateException(DecodeResult.EmptyBuffer, default, "a value");
            }

            return MsgPackCode.GetType(code) ?? throw CreateException(DecodeResult.TokenMismatch, [code], "a value");
        }
    }

    /// <summary>Whether the next value is nil (false at the end of the input).</summary>
    public readonly bool IsNil => _cursor.TryPeek(out byte code) && code == MsgPackCode.Nil;

    /// <summary>
    /// Enters a nested object. Generated formatters call this when they start reading a user object and
    /// <see cref="DecreaseDepth"/> when done.
    /// </summary>
    /// <exception cref="MsgPackException">The nesting would exceed <see cref="MsgPackReaderOptions.MaxDepth"/>.</exception>
    public void IncreaseDepth()
    {
        if (_depth >= _maxDepth)
        {
            throw DepthExceeded();
        }

        _depth++;
    }

    /// <summary>Leaves a nested object entered with <see cref="IncreaseDepth"/>.</summary>
    public void DecreaseDepth()
    {
        if (_depth > 0)
        {
            _depth--;
        }
    }

    /// <summary>Consumes the next value if it is nil.</summary>
    /// <returns>Whether a nil was consumed.</returns>
    public bool TryReadNil()
    {
        if (IsNil)
        {
            _cursor.Advance(1);
            return true;
        }

        return false;
    }

    /// <summary>Reads a nil.</summary>
    /// <exception cref="MsgPackException">The next value is not nil.</exception>
    public void ReadNil()
    {
        if (!TryReadNil())
        {
            throw CreateMismatch("nil");
        }
    }

    /// <summary>Reads a boolean.</summary>
    /// <exception cref="MsgPackException">The next value is not a boolean.</exception>
    public bool ReadBoolean()
    {
        if (_cursor.TryPeek(out byte code))
        {
            if (code == MsgPackCode.True)
            {
                _cursor.Advance(1);
                return true;
            }

            if (code == MsgPackCode.False)
            {
                _cursor.Advance(1);
                return false;
            }
        }

        throw CreateMismatch("a boolean");
    }

    /// <summary>Reads any integer encoding as a <see cref="long"/>.</summary>
    /// <exception cref="MsgPackException">The next value is not an integer or does not fit.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadInt64()
    {
        ulong raw = PeekInteger(out bool negative, out int size);
        if (!negative && raw > long.MaxValue)
        {
            throw DoesNotFit(raw, negative, nameof(Int64));
        }

        _cursor.Advance(size);
        return unchecked((long)raw);
    }

    /// <summary>Reads any integer encoding as an <see cref="int"/>.</summary>
    /// <exception cref="MsgPackException">The next value is not an integer or does not fit.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt32()
    {
        ulong raw = PeekInteger(out bool negative, out int size);
        long value = unchecked((long)raw);
        if (negative ? value < int.MinValue : raw > int.MaxValue)
        {
            throw DoesNotFit(raw, negative, nameof(Int32));
        }

        _cursor.Advance(size);
        return unchecked((int)value);
    }

    /// <summary>Reads any integer encoding as a <see cref="short"/>.</summary>
    /// <exception cref="MsgPackException">The next value is not an integer or does not fit.</exception>
    public short ReadInt16()
    {
        ulong raw = PeekInteger(out bool negative, out int size);
        long value = unchecked((long)raw);
        if (negative ? value < short.MinValue : raw > (ulong)short.MaxValue)
        {
            throw DoesNotFit(raw, negative, nameof(Int16));
        }

        _cursor.Advance(size);
        return unchecked((short)value);
    }

    /// <summary>Reads any integer encoding as an <see cref="sbyte"/>.</summary>
    /// <exception cref="MsgPackException">The next value is not an integer or does not fit.</exception>
    public sbyte ReadSByte()
    {
        ulong raw = PeekInteger(out bool negative, out int size);
        long value = unchecked((long)raw);
        if (negative ? value < sbyte.MinValue : raw > (ulong)sbyte.MaxValue)
        {
            throw DoesNotFit(raw, negative, nameof(SByte));
        }

        _cursor.Advance(size);
        return unchecked((sbyte)value);
    }

    /// <summary>Reads any integer encoding as a <see cref="ulong"/>.</summary>
    /// <exception cref="MsgPackException">The next value is not an integer or is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadUInt64()
    {
        ulong raw = PeekInteger(out bool negative, out int size);
        if (negative)
        {
            throw DoesNotFit(raw, negative, nameof(UInt64));
        }

        _cursor.Advance(size);
        return raw;
    }

    /// <summary>Reads any integer encoding as a <see cref="uint"/>.</summary>
    /// <exception cref="MsgPackException">The next value is not an integer or does not fit.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadUInt32()
    {
        ulong raw = PeekInteger(out bool negative, out int size);
        if (negative || raw > uint.MaxValue)
        {
            throw DoesNotFit(raw, negative, nameof(UInt32));
        }

        _cursor.Advance(size);
        return (uint)raw;
    }

    /// <summary>Reads any integer encoding as a <see cref="ushort"/>.</summary>
    /// <exception cref="MsgPackException">The next value is not an integer or does not fit.</exception>
    public ushort ReadUInt16()
    {
        ulong raw = PeekInteger(out bool negative, out int size);
        if (negative || raw > ushort.MaxValue)
        {
            throw DoesNotFit(raw, negative, nameof(UInt16));
        }

        _cursor.Advance(size);
        return (ushort)raw;
    }

    /// <summary>Reads any integer encoding as a <see cref="byte"/>.</summary>
    /// <exception cref="MsgPackException">The next value is not an integer or does not fit.</exception>
    public byte ReadByte()
    {
        ulong raw = PeekInteger(out bool negative, out int size);
        if (negative || raw > byte.MaxValue)
        {
            throw DoesNotFit(raw, negative, nameof(Byte));
        }

        _cursor.Advance(size);
        return (byte)raw;
    }

    /// <summary>Reads a float 32, float 64 or any integer as a <see cref="double"/>.</summary>
    /// <exception cref="MsgPackException">The next value is not a number.</exception>
    public double ReadDouble() => ReadFloat(out _);

    /// <summary>Reads a float 32, float 64 (narrowed) or any integer as a <see cref="float"/>.</summary>
    /// <exception cref="MsgPackException">The next value is not a number.</exception>
    public float ReadSingle() => (float)ReadFloat(out _);

    /// <summary>Reads a str.</summary>
    /// <exception cref="MsgPackException">The next value is not a str (nil included) or is not valid UTF-8.</exception>
    public string ReadString()
    {
        ReadOnlySpan<byte> span = _cursor.UnreadSpan;
        if (MsgPackPrimitives.TryReadStringHeader(span, out uint length, out int header) == DecodeResult.Success
            && length <= (uint)(span.Length - header))
        {
            string value = DecodeUtf8(span.Slice(header, (int)length), _cursor.Consumed);
            _cursor.Advance(header + length);
            return value;
        }

        return ReadStringSlow();
    }

    /// <summary>Reads a str, or nil as null.</summary>
    /// <exception cref="MsgPackException">The next value is neither str nor nil, or is not valid UTF-8.</exception>
    public string? ReadNullableString() => TryReadNil() ? null : ReadString();

    /// <summary>Reads a str and returns its UTF-8 bytes (validated) without copying.</summary>
    /// <exception cref="MsgPackException">The next value is not a str or is not valid UTF-8.</exception>
    public ReadOnlySequence<byte> ReadStringSequence()
    {
        long offset = _cursor.Consumed;
        int length = ReadSizedHeader(MsgPackType.String, "a string");
        ReadOnlySequence<byte> bytes = _cursor.Sequence.Slice(_cursor.Position, length);
        if (!IsValidUtf8(bytes))
        {
            throw new MsgPackException(offset, "expected a string but found invalid UTF-8.");
        }

        _cursor.Advance(length);
        return bytes;
    }

    /// <summary>
    /// Reads a str whose bytes are contiguous in the current segment, without copying.
    /// Returns false without consuming anything when the str spans segments; then use <see cref="ReadStringSequence"/>.
    /// </summary>
    /// <param name="utf8">The validated UTF-8 bytes of the string.</param>
    /// <exception cref="MsgPackException">The next value is not a str or is not valid UTF-8.</exception>
    public bool TryReadStringSpan(out ReadOnlySpan<byte> utf8)
    {
        ReadOnlySpan<byte> span = _cursor.UnreadSpan;
        DecodeResult result = MsgPackPrimitives.TryReadStringHeader(span, out uint length, out int header);
        if (result == DecodeResult.Success && length <= (uint)(span.Length - header))
        {
            utf8 = span.Slice(header, (int)length);
            if (!System.Text.Unicode.Utf8.IsValid(utf8))
            {
                throw CreateException("expected a string but found invalid UTF-8.");
            }

            _cursor.Advance(header + length);
            return true;
        }

        if (result == DecodeResult.TokenMismatch || span.Length == _cursor.Remaining)
        {
            // Not a str, or truncated rather than split: let the full check report it.
            MsgPackReader probe = this;
            probe.ReadStringSequence();
        }

        utf8 = default;
        return false;
    }

    /// <summary>Reads a bin into a new array.</summary>
    /// <exception cref="MsgPackException">The next value is not a bin or is truncated.</exception>
    public byte[] ReadBinary()
    {
        int length = ReadSizedHeader(MsgPackType.Binary, "binary data");
        if (length == 0)
        {
            return [];
        }

        byte[] value = GC.AllocateUninitializedArray<byte>(length);
        _cursor.TryCopyTo(value);
        _cursor.Advance(length);
        return value;
    }

    /// <summary>Reads a bin and returns its bytes without copying.</summary>
    /// <exception cref="MsgPackException">The next value is not a bin or is truncated.</exception>
    public ReadOnlySequence<byte> ReadBinarySequence()
    {
        int length = ReadSizedHeader(MsgPackType.Binary, "binary data");
        ReadOnlySequence<byte> bytes = _cursor.Sequence.Slice(_cursor.Position, length);
        _cursor.Advance(length);
        return bytes;
    }

    /// <summary>Reads an array header and returns the element count.</summary>
    /// <exception cref="MsgPackException">The next value is not an array, or declares more elements than bytes remain.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadArrayHeader()
    {
        ReadOnlySpan<byte> span = _cursor.UnreadSpan;
        if (MsgPackPrimitives.TryReadArrayHeader(span, out uint count, out int header) == DecodeResult.Success
            && count <= (uint)(span.Length - header))
        {
            _cursor.Advance(header);
            return (int)count;
        }

        return ReadCollectionHeaderSlow(MsgPackType.Array);
    }

    /// <summary>Reads a map header and returns the number of key/value pairs.</summary>
    /// <exception cref="MsgPackException">The next value is not a map, or declares more pairs than the remaining bytes can hold.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadMapHeader()
    {
        ReadOnlySpan<byte> span = _cursor.UnreadSpan;
        if (MsgPackPrimitives.TryReadMapHeader(span, out uint count, out int header) == DecodeResult.Success
            && (ulong)count * 2 <= (uint)(span.Length - header))
        {
            _cursor.Advance(header);
            return (int)count;
        }

        return ReadCollectionHeaderSlow(MsgPackType.Map);
    }

    /// <summary>Reads an extension header and returns the payload length; the caller then reads the payload.</summary>
    /// <param name="typeCode">The extension type code.</param>
    /// <exception cref="MsgPackException">The next value is not an extension or is truncated.</exception>
    public int ReadExtensionHeader(out sbyte typeCode)
    {
        Span<byte> scratch = stackalloc byte[MsgPackPrimitives.MaxTokenHeaderSize];
        ReadOnlySpan<byte> span = PeekContiguous(scratch);
        DecodeResult result = MsgPackPrimitives.TryReadExtensionHeader(span, out typeCode, out uint length, out int header);
        if (result != DecodeResult.Success)
        {
            throw CreateException(result, span, "an extension");
        }

        CheckPayload(header, length, "an extension");
        _cursor.Advance(header);
        return (int)length;
    }

    /// <summary>Reads any extension value (fixext, ext 8/16/32, including timestamps); the payload is copied.</summary>
    /// <exception cref="MsgPackException">The next value is not an extension or is truncated.</exception>
    public MsgPackExtension ReadExtension()
    {
        int length = ReadExtensionHeader(out sbyte typeCode);
        byte[] data = length == 0 ? [] : GC.AllocateUninitializedArray<byte>(length);
        _cursor.TryCopyTo(data);
        _cursor.Advance(length);
        return new MsgPackExtension(typeCode, data);
    }

    /// <summary>Reads a timestamp (extension -1 with a 4, 8 or 12-byte payload).</summary>
    /// <exception cref="MsgPackException">
    /// The next value is not a valid timestamp, or it lies outside the range of <see cref="DateTimeOffset"/>.
    /// </exception>
    public DateTimeOffset ReadTimestamp()
    {
        MsgPackReader ahead = this;
        ahead.ReadTimestamp(out long seconds, out uint nanoseconds);
        DateTimeOffset value = MsgPackPrimitives.ToDateTimeOffset(seconds, nanoseconds)
            ?? throw CreateException($"expected a timestamp but {seconds}s is outside the range of DateTimeOffset.");
        this = ahead;
        return value;
    }

    /// <summary>Reads a timestamp (extension -1 with a 4, 8 or 12-byte payload) as seconds and nanoseconds.</summary>
    /// <param name="seconds">Seconds since 1970-01-01T00:00:00Z.</param>
    /// <param name="nanoseconds">Nanoseconds within the second.</param>
    /// <exception cref="MsgPackException">The next value is not a valid timestamp.</exception>
    public void ReadTimestamp(out long seconds, out uint nanoseconds)
    {
        long offset = _cursor.Consumed;
        Span<byte> scratch = stackalloc byte[MsgPackPrimitives.MaxTokenHeaderSize + 12];
        ReadOnlySpan<byte> span = PeekContiguous(scratch);
        DecodeResult result = MsgPackPrimitives.TryReadExtensionHeader(span, out sbyte typeCode, out uint length, out int header);
        if (result != DecodeResult.Success)
        {
            throw CreateException(result, span, "a timestamp");
        }

        if (typeCode != MsgPackCode.TimestampType)
        {
            throw CreateException($"expected a timestamp but found extension type {typeCode}.");
        }

        CheckPayload(header, length, "a timestamp");
        if (!MsgPackPrimitives.TryDecodeTimestamp(span.Slice(header, (int)Math.Min(length, 12)), out seconds, out nanoseconds)
            || length > 12)
        {
            throw new MsgPackException(offset, length is 4 or 8 or 12
                ? "expected a timestamp but found nanoseconds of 1000000000 or more."
                : $"expected a timestamp but found a {length}-byte payload (must be 4, 8 or 12).");
        }

        _cursor.Advance(header + length);
    }

    /// <summary>Reads any integer, returning its bits as in <see cref="MsgPackPrimitives.TryReadInteger"/>.</summary>
    internal ulong ReadIntegerRaw(out bool negative)
    {
        ulong raw = PeekInteger(out negative, out int size);
        _cursor.Advance(size);
        return raw;
    }

    /// <summary>Reads a float or integer as a <see cref="double"/>, reporting whether it was a float 32.</summary>
    internal double ReadFloat(out bool isSingle)
    {
        if (MsgPackPrimitives.TryReadDouble(_cursor.UnreadSpan, out double value, out isSingle, out int size) != DecodeResult.Success)
        {
            Span<byte> scratch = stackalloc byte[MsgPackPrimitives.MaxScalarSize];
            ReadOnlySpan<byte> span = PeekContiguous(scratch);
            DecodeResult result = MsgPackPrimitives.TryReadDouble(span, out value, out isSingle, out size);
            if (result != DecodeResult.Success)
            {
                throw CreateException(result, span, "a number");
            }
        }

        _cursor.Advance(size);
        return value;
    }

    private static string DescribeInteger(ulong raw, bool negative) =>
        negative ? unchecked((long)raw).ToString(System.Globalization.CultureInfo.InvariantCulture)
                 : raw.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private readonly MsgPackException DoesNotFit(ulong raw, bool negative, string typeName) =>
        CreateException($"value {DescribeInteger(raw, negative)} does not fit in {typeName}.");

    private readonly MsgPackException DepthExceeded() =>
        CreateException($"maximum nesting depth of {_maxDepth} exceeded.");
}
