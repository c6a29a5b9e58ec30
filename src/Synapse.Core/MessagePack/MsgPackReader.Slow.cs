using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Synapse.MessagePack;

// Slow paths (tokens split across segments), structural skipping and error construction.
public ref partial struct MsgPackReader
{
    /// <summary>Skips one complete value, including everything nested in it.</summary>
    /// <remarks>Iterative, so hostile nesting cannot overflow the stack; nesting is limited by <see cref="MsgPackReaderOptions.MaxDepth"/>.</remarks>
    /// <exception cref="MsgPackException">The value is malformed, truncated or nested too deeply.</exception>
    public void Skip()
    {
        Span<byte> scratch = stackalloc byte[MsgPackPrimitives.MaxTokenHeaderSize];
        Span<long> pending = stackalloc long[16]; // values still to skip in each open array/map
        int open = 0;
        while (true)
        {
            ReadOnlySpan<byte> span = PeekContiguous(scratch);
            DecodeResult result = MsgPackPrimitives.TryReadTokenHeader(span, out MsgPackType type, out uint length, out int header);
            if (result != DecodeResult.Success)
            {
                throw CreateException(result, span, "a value");
            }

            if (type is MsgPackType.Array or MsgPackType.Map)
            {
                if (_depth + open >= _maxDepth)
                {
                    throw DepthExceeded();
                }

                CheckCount(type, length, header, span[0]);
                _cursor.Advance(header);
                if (length > 0)
                {
                    if (open == pending.Length)
                    {
                        long[] larger = new long[open * 2];
                        pending.CopyTo(larger);
                        pending = larger;
                    }

                    pending[open++] = type == MsgPackType.Map ? 2L * length : length;
                    continue;
                }
            }
            else
            {
                CheckPayload(header, length, span[0], "a value");
                _cursor.Advance(header + length);
            }

            // One value is complete: count it against the innermost open container, closing finished ones.
            while (open > 0 && --pending[open - 1] == 0)
            {
                open--;
            }

            if (open == 0)
            {
                return;
            }
        }
    }

    /// <summary>Returns the encoded bytes of one complete value and advances past it.</summary>
    /// <exception cref="MsgPackException">The value is malformed, truncated or nested too deeply.</exception>
    public ReadOnlySequence<byte> ReadRaw()
    {
        SequencePosition start = _cursor.Position;
        Skip();
        return _cursor.Sequence.Slice(start, _cursor.Position);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly ulong PeekInteger(out bool negative, out int size)
    {
        if (MsgPackPrimitives.TryReadInteger(_cursor.UnreadSpan, out ulong raw, out negative, out size) == DecodeResult.Success)
        {
            return raw;
        }

        return PeekIntegerSlow(out negative, out size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly ulong PeekIntegerSlow(out bool negative, out int size)
    {
        Span<byte> scratch = stackalloc byte[MsgPackPrimitives.MaxScalarSize];
        ReadOnlySpan<byte> span = PeekContiguous(scratch);
        DecodeResult result = MsgPackPrimitives.TryReadInteger(span, out ulong raw, out negative, out size);
        if (result != DecodeResult.Success)
        {
            throw CreateException(result, span, "an integer");
        }

        return raw;
    }

    /// <summary>
    /// The unread bytes of the current segment when they hold at least <c>scratch.Length</c> bytes (or all that is left);
    /// otherwise up to <c>scratch.Length</c> bytes gathered across segments into <paramref name="scratch"/>.
    /// </summary>
    private readonly ReadOnlySpan<byte> PeekContiguous(Span<byte> scratch)
    {
        ReadOnlySpan<byte> unread = _cursor.UnreadSpan;
        long remaining = _cursor.Remaining;
        if (unread.Length >= scratch.Length || unread.Length == remaining)
        {
            return unread;
        }

        scratch = scratch.Slice(0, (int)Math.Min(scratch.Length, remaining));
        _cursor.TryCopyTo(scratch);
        return scratch;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private string ReadStringSlow()
    {
        long offset = _cursor.Consumed;
        int length = ReadSizedHeader(MsgPackType.String, "a string");
        ReadOnlySpan<byte> unread = _cursor.UnreadSpan;
        string value;
        if (unread.Length >= length)
        {
            value = DecodeUtf8(unread.Slice(0, length), offset);
        }
        else if (length <= 256)
        {
            Span<byte> buffer = stackalloc byte[256];
            buffer = buffer.Slice(0, length);
            _cursor.TryCopyTo(buffer);
            value = DecodeUtf8(buffer, offset);
        }
        else
        {
            byte[] rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                Span<byte> buffer = rented.AsSpan(0, length);
                _cursor.TryCopyTo(buffer);
                value = DecodeUtf8(buffer, offset);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        _cursor.Advance(length);
        return value;
    }

    /// <summary>Reads a str or bin header, checks the payload is present, and returns its length.</summary>
    private int ReadSizedHeader(MsgPackType type, string expected)
    {
        Span<byte> scratch = stackalloc byte[5];
        ReadOnlySpan<byte> span = PeekContiguous(scratch);
        DecodeResult result = type == MsgPackType.String
            ? MsgPackPrimitives.TryReadStringHeader(span, out uint length, out int header)
            : MsgPackPrimitives.TryReadBinaryHeader(span, out length, out header);
        if (result != DecodeResult.Success)
        {
            throw CreateException(result, span, expected);
        }

        CheckPayload(header, length, span[0], expected);
        _cursor.Advance(header);
        return (int)length;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ReadCollectionHeaderSlow(MsgPackType type)
    {
        Span<byte> scratch = stackalloc byte[5];
        ReadOnlySpan<byte> span = PeekContiguous(scratch);
        DecodeResult result = type == MsgPackType.Array
            ? MsgPackPrimitives.TryReadArrayHeader(span, out uint count, out int header)
            : MsgPackPrimitives.TryReadMapHeader(span, out count, out header);
        if (result != DecodeResult.Success)
        {
            throw CreateException(result, span, type == MsgPackType.Array ? "an array" : "a map");
        }

        CheckCount(type, count, header, span[0]);
        _cursor.Advance(header);
        return (int)count;
    }

    /// <summary>Throws unless the <paramref name="length"/> bytes after a header of <paramref name="header"/> bytes are all present.</summary>
    private readonly void CheckPayload(int header, uint length, byte code, string expected)
    {
        long available = _cursor.Remaining - header;
        if (length > available || length > int.MaxValue)
        {
            throw CreateException(
                $"expected {expected} but the input is truncated: {MsgPackCode.GetFormatName(code)} (0x{code:x2}) declares {length} bytes and {available} remain.");
        }
    }

    private readonly void CheckPayload(int header, uint length, string expected)
    {
        _cursor.TryPeek(out byte code);
        CheckPayload(header, length, code, expected);
    }

    /// <summary>Throws unless every declared element could still get at least one byte of input.</summary>
    private readonly void CheckCount(MsgPackType type, uint count, int header, byte code)
    {
        long available = _cursor.Remaining - header;
        ulong needed = type == MsgPackType.Map ? 2UL * count : count;
        if (needed > (ulong)available || count > int.MaxValue)
        {
            string expected = type == MsgPackType.Map ? "a map" : "an array";
            string unit = type == MsgPackType.Map ? "entries" : "elements";
            throw CreateException(
                $"expected {expected} but {MsgPackCode.GetFormatName(code)} (0x{code:x2}) declares {count} {unit} and only {available} bytes remain.");
        }
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, long offset)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new MsgPackException(offset, "expected a string but found invalid UTF-8.", ex);
        }
    }

    private static bool IsValidUtf8(in ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsSingleSegment)
        {
            return Utf8.IsValid(bytes.FirstSpan);
        }

        // Sequences can cut a code point in two; validate a contiguous copy.
        int length = (int)bytes.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            bytes.CopyTo(rented);
            return Utf8.IsValid(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private readonly MsgPackException CreateException(string detail) => new(_cursor.Consumed, detail);

    /// <summary>An exception for a failed decode of <paramref name="span"/> (the bytes at the current position).</summary>
    private readonly MsgPackException CreateException(DecodeResult result, ReadOnlySpan<byte> span, string expected)
    {
        if (result == DecodeResult.EmptyBuffer || span.IsEmpty)
        {
            return CreateException($"expected {expected} but reached the end of the data.");
        }

        byte code = span[0];
        string found = string.Create(CultureInfo.InvariantCulture, $"{MsgPackCode.GetFormatName(code)} (0x{code:x2})");
        return result == DecodeResult.InsufficientBuffer
            ? CreateException($"expected {expected} but the input ends inside {found} after {_cursor.Remaining} bytes.")
            : CreateException($"expected {expected} but found {found}.");
    }

    private readonly MsgPackException CreateMismatch(string expected)
    {
        if (!_cursor.TryPeek(out byte code))
        {
            return CreateException(DecodeResult.EmptyBuffer, default, expected);
        }

        return CreateException(DecodeResult.TokenMismatch, [code], expected);
    }
}
