using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace Synapse.Rpc;

/// <summary>A frame waiting to be written; notified once it has been copied to the transport.</summary>
internal interface IOutboundFrame
{
    ReadOnlyMemory<byte> Frame { get; }

    void OnWritten();
}

/// <summary>
/// Serializes frames from many concurrent calls onto one connection: a single writer loop copies every queued frame
/// into the pipe and flushes once per batch, so frames never interleave and busy connections coalesce syscalls.
/// A flush that does not complete within the write timeout (a peer that stopped reading) stalls the outbox: it
/// calls <c>onStalled</c>, which closes the transport, so queued frames cannot pile up behind it.
/// </summary>
internal sealed class FrameOutbox
{
    private readonly Channel<IOutboundFrame> _queue = Channel.CreateUnbounded<IOutboundFrame>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly PipeWriter _output;
    private readonly TimeSpan _writeTimeout;
    private readonly Action _onStalled;
    private readonly Task _writer;

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
    public bool TryEnqueue(IOutboundFrame frame) => _queue.Writer.TryWrite(frame);

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
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
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
