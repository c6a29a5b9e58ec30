using System.Buffers;
using System.Runtime.CompilerServices;

namespace Synapse.MessagePack;

/// <summary>
/// A forward-only position in a <see cref="ReadOnlySequence{T}"/> that keeps the unread part of the current
/// segment as a span, so advancing within a segment is a single slice. A lighter <see cref="SequenceReader{T}"/>.
/// </summary>
/// <remarks>Invariant: <see cref="UnreadSpan"/> is empty only at the end of the data (empty segments are skipped).</remarks>
internal ref struct SequenceCursor
{
    private readonly ReadOnlySequence<byte> _sequence;
    private readonly long _length;
    private ReadOnlySpan<byte> _unread;
    private SequencePosition _segmentStart; // where the current segment's span starts
    private SequencePosition _nextSegment;  // where the following segment is fetched from
    private int _segmentLength;
    private long _segmentOffset;            // bytes of the sequence before the current segment

    public SequenceCursor(ReadOnlySequence<byte> sequence)
    {
        _sequence = sequence;
        _segmentStart = sequence.Start;
        _segmentOffset = 0;
        if (sequence.IsSingleSegment)
        {
            _unread = sequence.FirstSpan;
            _length = _segmentLength = _unread.Length;
            _nextSegment = default; // no further segments
            return;
        }

        _length = sequence.Length;
        _nextSegment = _segmentStart;
        _segmentLength = 0;
        _unread = default;
        TryLoadNextSegment();
    }

    public readonly ReadOnlySpan<byte> UnreadSpan
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _unread;
    }

    public readonly long Consumed => _segmentOffset + (_segmentLength - _unread.Length);

    public readonly long Remaining => _length - Consumed;

    public readonly bool End => _unread.IsEmpty;

    public readonly ReadOnlySequence<byte> Sequence => _sequence;

    public readonly SequencePosition Position => _sequence.GetPosition(_segmentLength - _unread.Length, _segmentStart);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool TryPeek(out byte value)
    {
        if (_unread.IsEmpty)
        {
            value = 0;
            return false;
        }

        value = _unread[0];
        return true;
    }

    /// <summary>Moves forward; the caller has checked that <paramref name="count"/> bytes remain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(long count)
    {
        if ((ulong)count < (ulong)_unread.Length)
        {
            _unread = _unread.Slice((int)count);
        }
        else
        {
            AdvanceAcrossSegments(count);
        }
    }

    /// <summary>Copies the next <c>destination.Length</c> bytes without advancing; false if fewer remain.</summary>
    public readonly bool TryCopyTo(Span<byte> destination)
    {
        if (_unread.Length >= destination.Length)
        {
            _unread.Slice(0, destination.Length).CopyTo(destination);
            return true;
        }

        if (Remaining < destination.Length)
        {
            return false;
        }

        _unread.CopyTo(destination);
        int copied = _unread.Length;
        SequencePosition next = _nextSegment;
        while (copied < destination.Length && _sequence.TryGet(ref next, out ReadOnlyMemory<byte> memory))
        {
            int count = Math.Min(memory.Length, destination.Length - copied);
            memory.Span.Slice(0, count).CopyTo(destination.Slice(copied));
            copied += count;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AdvanceAcrossSegments(long count)
    {
        while (true)
        {
            if (count < _unread.Length)
            {
                _unread = _unread.Slice((int)count);
                return;
            }

            count -= _unread.Length;
            _unread = _unread.Slice(_unread.Length);
            if (!TryLoadNextSegment())
            {
                if (count != 0)
                {
                    throw new InvalidOperationException("Advanced past the end of the sequence.");
                }

                return;
            }
        }
    }

    private bool TryLoadNextSegment()
    {
        SequencePosition next = _nextSegment;
        while (true)
        {
            SequencePosition start = next;
            if (!_sequence.TryGet(ref next, out ReadOnlyMemory<byte> memory))
            {
                return false;
            }

            if (!memory.IsEmpty)
            {
                _segmentOffset += _segmentLength;
                _segmentStart = start;
                _nextSegment = next;
                _unread = memory.Span;
                _segmentLength = memory.Length;
                return true;
            }
        }
    }
}
