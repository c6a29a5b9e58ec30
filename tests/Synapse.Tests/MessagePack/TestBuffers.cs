using System.Buffers;

namespace Synapse.Tests.MessagePack;

/// <summary>Builds multi-segment sequences to exercise the reader's split-token paths.</summary>
internal static class TestSequences
{
    /// <summary>A sequence with one segment per <paramref name="segmentSize"/> bytes (the last may be shorter).</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> data, int segmentSize = 1)
    {
        if (data.IsEmpty)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment first = new(data.Slice(0, Math.Min(segmentSize, data.Length)).ToArray(), 0);
        Segment last = first;
        for (int i = segmentSize; i < data.Length; i += segmentSize)
        {
            last = last.Append(data.Slice(i, Math.Min(segmentSize, data.Length - i)).ToArray());
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Splits at the given offsets.</summary>
    public static ReadOnlySequence<byte> SplitAt(ReadOnlySpan<byte> data, params int[] offsets)
    {
        var cuts = new List<int> { 0 };
        cuts.AddRange(offsets);
        cuts.Add(data.Length);
        Segment? first = null;
        Segment? last = null;
        for (int i = 0; i + 1 < cuts.Count; i++)
        {
            byte[] part = data[cuts[i]..cuts[i + 1]].ToArray();
            last = last is null ? first = new Segment(part, 0) : last.Append(part);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>A sequence made of exactly these segments, empty ones included.</summary>
    public static ReadOnlySequence<byte> FromSegments(params byte[][] segments)
    {
        var first = new Segment(segments[0], 0);
        Segment last = first;
        foreach (byte[] segment in segments.Skip(1))
        {
            last = last.Append(segment);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}

/// <summary>An <see cref="IBufferWriter{T}"/> that hands out buffers of exactly the requested size (at least 1 byte).</summary>
internal sealed class TinyBufferWriter : IBufferWriter<byte>
{
    private readonly List<byte> _written = [];
    private byte[] _current = [];

    public byte[] WrittenBytes => [.. _written];

    public int GetSpanCalls { get; private set; }

    public void Advance(int count)
    {
        Assert.InRange(count, 0, _current.Length);
        _written.AddRange(_current.AsSpan(0, count));
        _current = [];
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        GetSpanCalls++;
        _current = new byte[Math.Max(sizeHint, 1)];
        return _current;
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}

internal static class Hex
{
    /// <summary>Parses "cc-80", "cc 80" or "cc80".</summary>
    public static byte[] Parse(string hex) => Convert.FromHexString(hex.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
