using System.Buffers;
using System.IO.Pipelines;
using Synapse.Crypto.Noise;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Transport.Secure;

/// <summary>
/// The plaintext side of a secure link's output. The application writes into a pooled buffer; every full Noise
/// message's worth, and whatever is left at a flush, is encrypted straight into the socket's writer as one
/// length-prefixed frame. No pump task and no second pipe: encryption runs on the writer's thread, in write order,
/// so nonces follow the order of the bytes.
/// </summary>
internal sealed class EncryptingPipeWriter : PipeWriter
{
    private const int InitialBufferSize = 16 * 1024;

    private readonly PipeWriter _inner;
    private readonly NoiseSession _session;
    // Rented at the first write and given back at each flush that empties it, so an idle link holds no buffer.
    private byte[] _buffer = [];
    private int _buffered;
    private bool _completed;

    public EncryptingPipeWriter(PipeWriter inner, NoiseSession session)
    {
        _inner = inner;
        _session = session;
    }

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _buffered;

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(InitialBufferSize, needed));
        }

        if (_buffer.Length - _buffered < needed)
        {
            EncryptFullMessages();
            if (_buffer.Length - _buffered < needed)
            {
                Grow(_buffered + needed);
            }
        }

        return _buffer.AsMemory(_buffered);
    }

    public override void Advance(int bytes)
    {
        if ((uint)bytes > (uint)(_buffer.Length - _buffered))
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), "Advanced past the end of the buffer that was handed out.");
        }

        _buffered += bytes;
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        EncryptBuffered(_buffered);
        ReleaseBuffer();
        return _inner.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        try
        {
            if (exception is null)
            {
                EncryptBuffered(_buffered);
            }
        }
        finally
        {
            _completed = true;
            _buffered = 0;
            ReleaseBuffer();
            _inner.Complete(exception);
        }
    }

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        if (!_completed && exception is null && _buffered > 0)
        {
            EncryptBuffered(_buffered);
            await _inner.FlushAsync().ConfigureAwait(false);
        }

        Complete(exception);
    }

    /// <summary>Encrypts whole maximum-size messages only, keeping the tail for the next write or flush.</summary>
    private void EncryptFullMessages() =>
        EncryptBuffered(_buffered / NoiseTransport.MaxPlaintextLength * NoiseTransport.MaxPlaintextLength);

    private void EncryptBuffered(int length)
    {
        var pending = _buffer.AsSpan(0, length);
        while (!pending.IsEmpty)
        {
            var chunk = pending[..Math.Min(pending.Length, NoiseTransport.MaxPlaintextLength)];
            Frames.WriteHeader(_inner.GetSpan(Frames.HeaderSize), chunk.Length + NoiseTransport.TagSize);
            _inner.Advance(Frames.HeaderSize);
            _session.EncryptFrame(chunk, _inner);
            pending = pending[chunk.Length..];
        }

        var remaining = _buffered - length;
        if (remaining > 0 && length > 0)
        {
            _buffer.AsSpan(length, remaining).CopyTo(_buffer);
        }

        _buffered = remaining;
    }

    private void ReleaseBuffer()
    {
        if (_buffered == 0 && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Grow(int capacity)
    {
        var larger = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, _buffered).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
