using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace Synapse.Transport.Framing;

/// <summary>A frame waiting to be written; notified once it has been copied to the transport.</summary>
public interface IOutboundFrame
{
    /// <summary>The whole frame, length prefix included.</summary>
    ReadOnlyMemory<byte> Frame { get; }

    /// <summary>Called once the frame has been copied to the transport (the frame's memory may then be reused).</summary>
    void OnWritten();
}

/// <summary>
/// Serializes frames from many concurrent calls onto one connection: a single writer loop copies every queued frame
/// into the pipe and flushes once per batch, so frames never interleave and busy connections coalesce syscalls.
/// A flush that does not complete within the write timeout (a peer that stopped reading) stalls the outbox: it
/// calls <c>onStalled</c>, which closes the transport, so queued frames cannot pile up behind it.
/// </summary>
public sealed class FrameOutbox : FrameOutbox<IOutboundFrame>
{
    /// <summary>Starts the writer loop over <paramref name="output"/>.</summary>
    /// <param name="output">The transport's output.</param>
    /// <param name="writeTimeout">How long one flush may take before the outbox stalls.</param>
    /// <param name="onStalled">Called once when a flush outlives <paramref name="writeTimeout"/>; it should close the transport.</param>
    public FrameOutbox(PipeWriter output, TimeSpan writeTimeout, Action onStalled)
        : base(output, writeTimeout, onStalled)
    {
    }
}

/// <summary>
/// <see cref="FrameOutbox"/> over frames of one type: a struct frame is queued without an allocation of its own.
/// </summary>
/// <typeparam name="TFrame">What is queued.</typeparam>
public class FrameOutbox<TFrame>
    where TFrame : IOutboundFrame
{
    private readonly Channel<TFrame> _queue = Channel.CreateUnbounded<TFrame>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly PipeWriter _output;
    private readonly TimeSpan _writeTimeout;
    private readonly Action _onStalled;
    private readonly Task _writer;

    /// <summary>Starts the writer loop over <paramref name="output"/>.</summary>
    /// <param name="output">The transport's output.</param>
    /// <param name="writeTimeout">How long one flush may take before the outbox stalls.</param>
    /// <param name="onStalled">Called once when a flush outlives <paramref name="writeTimeout"/>; it should close the transport.</param>
    public FrameOutbox(PipeWriter output, TimeSpan writeTimeout, Action onStalled)
    {
        _output = output;
        _writeTimeout = writeTimeout;
        _onStalled = onStalled;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes when the writer loop ends (after <see cref="Complete"/> or a transport failure).</summary>
    public Task Completion => _writer;

    /// <summary>Queues a frame; returns false when the outbox is closed.</summary>
    public bool TryEnqueue(TFrame frame) => _queue.Writer.TryWrite(frame);

    /// <summary>Stops accepting frames; queued frames are still written.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var deadline = new CancellationTokenSource();
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var frame))
                {
                    _output.Write(frame.Frame.Span);
                    frame.OnWritten();
                }

                deadline.CancelAfter(_writeTimeout);
                var flush = await _output.FlushAsync(deadline.Token).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled || !deadline.TryReset())
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            _onStalled();
        }
        catch (Exception e) when (LinkLoss.Is(e))
        {
            // The transport is gone; callers observe it through the read side.
        }
        finally
        {
            deadline.Dispose();
            _queue.Writer.TryComplete();
            while (reader.TryRead(out var frame))
            {
                frame.OnWritten();
            }
        }
    }
}
