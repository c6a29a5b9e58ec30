using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Synapse.MessagePack;

/// <summary>
/// Writes MessagePack to an <see cref="IBufferWriter{T}"/>, always choosing the smallest encoding
/// (non-negative integers use the unsigned forms, as Python msgpack does).
/// </summary>
/// <remarks>
/// The writer caches a span obtained from <see cref="IBufferWriter{T}.GetSpan"/> and commits it only in
/// <see cref="Flush"/> (or when it needs more room). Call <see cref="Flush"/> when done, and do not write to
/// the underlying buffer writer directly in between.
/// </remarks>
public ref struct MsgPackWriter
{
    // Strings up to this many chars are encoded in one pass into a worst-case reservation (3 bytes per char).
    private const int OnePassStringLimit = 4096;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;
    private long _committed;

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    /// <param name="output">Where the encoded bytes go.</param>
    public MsgPackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = default;
        _buffered = 0;
        _committed = 0;
    }

    /// <summary>Total bytes written by this writer, committed or not.</summary>
    public readonly long Written => _committed + _buffered;

    /// <summary>Commits the buffered bytes to the underlying <see cref="IBufferWriter{T}"/>.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _committed += _buffered;
            _buffered = 0;
        }

        _span = default;
    }

    /// <summary>Writes nil.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNil()
    {
        ref byte destination = ref GetBuffer(1);
        destination = MsgPackCode.Nil;
        _buffered++;
    }

    /// <summary>Writes true or false.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBoolean(bool value)
    {
        ref byte destination = ref GetBuffer(1);
        destination = value ? MsgPackCode.True : MsgPackCode.False;
        _buffered++;
    }

    /// <summary>Writes an integer in its smallest encoding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64(long value)
    {
        int written = MsgPackPrimitives.WriteInt64(ref GetBuffer(MsgPackPrimitives.MaxScalarSize), value);
        _buffered += written;
    }

    /// <summary>Writes an integer in its smallest encoding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt32(int value) => WriteInt64(value);

    /// <summary>Writes an integer in its smallest encoding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUInt64(ulong value)
    {
        int written = MsgPackPrimitives.WriteUInt64(ref GetBuffer(MsgPackPrimitives.MaxScalarSize), value);
        _buffered += written;
    }

    /// <summary>Writes an integer in its smallest encoding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUInt32(uint value) => WriteUInt64(value);

    /// <summary>Writes a float 64 (always; no narrowing, like Python msgpack).</summary>
    public void WriteDouble(double value)
    {
        int written = MsgPackPrimitives.WriteDouble(ref GetBuffer(9), value);
        _buffered += written;
    }

    /// <summary>Writes a float 32.</summary>
    public void WriteSingle(float value)
    {
        int written = MsgPackPrimitives.WriteSingle(ref GetBuffer(5), value);
        _buffered += written;
    }

    /// <summary>Writes a string as UTF-8 str, or nil when <paramref name="value"/> is null.</summary>
    /// <remarks>Unpaired surrogates are replaced with U+FFFD.</remarks>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteNil();
        }
        else
        {
            WriteString(value.AsSpan());
        }
    }

    /// <summary>Writes a string as UTF-8 str, encoding straight into the output buffer.</summary>
    /// <remarks>Unpaired surrogates are replaced with U+FFFD.</remarks>
    public void WriteString(scoped ReadOnlySpan<char> value)
    {
        if (value.Length <= OnePassStringLimit)
        {
            // Reserve the header for the worst case, encode, then slide the bytes left if the real header is shorter.
            int maxBytes = value.Length * 3;
            int maxHeader = MsgPackPrimitives.GetStringHeaderLength((uint)maxBytes);
            Span<byte> span = GetSpan(maxHeader + maxBytes);
            int length = Encoding.UTF8.GetBytes(value, span.Slice(maxHeader));
            int header = MsgPackPrimitives.GetStringHeaderLength((uint)length);
            if (header != maxHeader)
            {
                span.Slice(maxHeader, length).CopyTo(span.Slice(header));
            }

            MsgPackPrimitives.WriteStringHeader(ref MemoryMarshal.GetReference(span), (uint)length);
            _buffered += header + length;
        }
        else
        {
            int length = Encoding.UTF8.GetByteCount(value);
            int header = MsgPackPrimitives.GetStringHeaderLength((uint)length);
            Span<byte> span = GetSpan(header + length);
            MsgPackPrimitives.WriteStringHeader(ref MemoryMarshal.GetReference(span), (uint)length);
            Encoding.UTF8.GetBytes(value, span.Slice(header));
            _buffered += header + length;
        }
    }

    /// <summary>Writes already-encoded UTF-8 bytes as a str (not validated).</summary>
    public void WriteStringUtf8(scoped ReadOnlySpan<byte> utf8)
    {
        int written = MsgPackPrimitives.WriteStringHeader(ref GetBuffer(MsgPackPrimitives.MaxHeaderSize), (uint)utf8.Length);
        _buffered += written;
        WriteBytes(utf8);
    }

    /// <summary>Writes a bin.</summary>
    public void WriteBinary(scoped ReadOnlySpan<byte> value)
    {
        int written = MsgPackPrimitives.WriteBinaryHeader(ref GetBuffer(MsgPackPrimitives.MaxHeaderSize), (uint)value.Length);
        _buffered += written;
        WriteBytes(value);
    }

    /// <summary>Writes an array header; the caller then writes <paramref name="count"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteArrayHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int written = MsgPackPrimitives.WriteArrayHeader(ref GetBuffer(MsgPackPrimitives.MaxHeaderSize), (uint)count);
        _buffered += written;
    }

    /// <summary>Writes a map header; the caller then writes <paramref name="count"/> key/value pairs.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteMapHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int written = MsgPackPrimitives.WriteMapHeader(ref GetBuffer(MsgPackPrimitives.MaxHeaderSize), (uint)count);
        _buffered += written;
    }

    /// <summary>Writes an extension value: fixext 1/2/4/8/16 when the size fits, else ext 8/16/32.</summary>
    public void WriteExtension(sbyte typeCode, scoped ReadOnlySpan<byte> data)
    {
        int written = MsgPackPrimitives.WriteExtensionHeader(ref GetBuffer(MsgPackPrimitives.MaxExtensionHeaderSize), typeCode, (uint)data.Length);
        _buffered += written;
        WriteBytes(data);
    }

    /// <summary>Writes a timestamp (extension -1) in the smallest of the 32, 64 and 96-bit forms.</summary>
    public void WriteTimestamp(DateTimeOffset value)
    {
        MsgPackPrimitives.ToUnixTime(value, out long seconds, out uint nanoseconds);
        WriteTimestamp(seconds, nanoseconds);
    }

    /// <summary>Writes a timestamp (extension -1) in the smallest of the 32, 64 and 96-bit forms.</summary>
    /// <param name="seconds">Seconds since 1970-01-01T00:00:00Z.</param>
    /// <param name="nanoseconds">Nanoseconds within the second, below 1 000 000 000.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nanoseconds"/> is 1 000 000 000 or more.</exception>
    public void WriteTimestamp(long seconds, uint nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(nanoseconds, 1_000_000_000u);
        int written = MsgPackPrimitives.WriteTimestamp(ref GetBuffer(MsgPackPrimitives.MaxTimestampSize), seconds, nanoseconds);
        _buffered += written;
    }

    /// <summary>Copies already-encoded MessagePack to the output as is.</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> encoded) => WriteBytes(encoded);

    /// <summary>Copies already-encoded MessagePack to the output as is.</summary>
    public void WriteRaw(in ReadOnlySequence<byte> encoded)
    {
        foreach (ReadOnlyMemory<byte> segment in encoded)
        {
            WriteBytes(segment.Span);
        }
    }

    /// <summary>Returns the write position, with room for at least <paramref name="size"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte GetBuffer(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Grow(size);
        }

        return ref Unsafe.Add(ref MemoryMarshal.GetReference(_span), _buffered);
    }

    /// <summary>Returns room for at least <paramref name="size"/> bytes at the write position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> GetSpan(int size)
    {
        Span<byte> span = _span;
        int buffered = _buffered;
        if ((uint)(span.Length - buffered) >= (uint)size)
        {
            return span.Slice(buffered);
        }

        return Grow(size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Span<byte> Grow(int size)
    {
        Flush();
        _span = _output.GetSpan(size);
        if (_span.Length < size)
        {
            throw new InvalidOperationException("The IBufferWriter returned a smaller buffer than requested.");
        }

        return _span;
    }

    private void WriteBytes(scoped ReadOnlySpan<byte> data)
    {
        if (_span.Length - _buffered >= data.Length)
        {
            data.CopyTo(_span.Slice(_buffered));
            _buffered += data.Length;
            return;
        }

        // Fill what is left of the cached span, then ask for the rest.
        while (!data.IsEmpty)
        {
            if (_span.Length == _buffered)
            {
                Flush();
                _span = _output.GetSpan(data.Length);
                if (_span.IsEmpty)
                {
                    throw new InvalidOperationException("The IBufferWriter returned an empty buffer.");
                }
            }

            int count = Math.Min(_span.Length - _buffered, data.Length);
            data.Slice(0, count).CopyTo(_span.Slice(_buffered));
            _buffered += count;
            data = data.Slice(count);
        }
    }
}
