using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Synapse.Relay.Configuration;
using Synapse.Transport;
using Synapse.Transport.Framing;

namespace Synapse.Relay.Server;

/// <summary>
/// One connection to the relay, whatever protocol it speaks: its outbound queue, written by one
/// <see cref="FrameOutbox{TFrame}"/> loop.
/// The queue is the measure of backpressure: every queued frame counts against the recipient (its own queue, for the
/// slow-consumer cap) and against the link it came from (what that sender has piled up in other links' queues,
/// which drives throttling, flow control and disconnection).
/// </summary>
internal abstract class RelayLink
{
    private readonly FrameOutbox<Outbound> _outbox;
    private readonly CancellationTokenSource _closed = new();
    private long _queuedMessages;
    private long _queuedBytes;
    private long _contributedMessages;
    private long _contributedBytes;
    private int _closing;
    private BackpressureStage _reported;
    private long _flowControlledSince;

    protected RelayLink(ITransportConnection transport, RelayServer server)
    {
        Transport = transport;
        Server = server;
        Address = (transport.RemoteEndPoint as IPEndPoint)?.Address;
        RemoteAddress = transport.RemoteEndPoint?.ToString() ?? "unknown";
        _outbox = new FrameOutbox<Outbound>(transport.Pipe.Output, RelayServer.WriteTimeout, OnWriteStalled);
        WriterCompletion = CloseWhenWrittenAsync();
    }

    public ITransportConnection Transport { get; }

    public RelayServer Server { get; }

    /// <summary>The remote IP address (what address quarantine applies to).</summary>
    public IPAddress? Address { get; }

    /// <summary>The remote address for logs.</summary>
    public string RemoteAddress { get; }

    /// <summary>The identity this link is known by: an agent id, or <c>null</c> for unauthenticated protocols.</summary>
    public abstract string? Identity { get; }

    /// <summary>Cancelled when the link closes.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Frames waiting in this link's queue.</summary>
    public long QueuedMessages => Interlocked.Read(ref _queuedMessages);

    /// <summary>Bytes waiting in this link's queue.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Frames from this link waiting in other links' queues.</summary>
    public long ContributedMessages => Interlocked.Read(ref _contributedMessages);

    /// <summary>Bytes from this link waiting in other links' queues.</summary>
    public long ContributedBytes => Interlocked.Read(ref _contributedBytes);

    /// <summary>Signalled each time frames from this link leave a queue (flow control waits on it).</summary>
    public AsyncSignal Drained { get; } = new();

    /// <summary>Queues a frame; false when the link is closing. Enforces the slow-consumer cap.</summary>
    public bool Enqueue(ReadOnlyMemory<byte> frame, RelayLink? origin = null)
    {
        if (Volatile.Read(ref _closing) != 0)
        {
            return false;
        }

        Interlocked.Increment(ref _queuedMessages);
        var queuedBytes = Interlocked.Add(ref _queuedBytes, frame.Length);
        if (origin is not null)
        {
            Interlocked.Increment(ref origin._contributedMessages);
            Interlocked.Add(ref origin._contributedBytes, frame.Length);
        }

        if (!_outbox.TryEnqueue(new Outbound(this, frame, origin)))
        {
            Written(frame.Length, origin);
            return false;
        }

        if (queuedBytes > Server.Options.MaxQueueBytesPerClient)
        {
            Server.Events.SlowConsumer(this, queuedBytes);
            Close();
        }

        return true;
    }

    /// <summary>Stops the link: no more frames are queued, the queue is dropped, the transport is aborted.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _outbox.Complete();
        _closed.Cancel();
        Transport.Abort();
    }

    /// <summary>Queues a last frame, lets the writer send what is queued (bounded by the write timeout), then closes.</summary>
    public async Task CloseAfterAsync(ReadOnlyMemory<byte> lastFrame)
    {
        Enqueue(lastFrame);
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _outbox.Complete();
        var written = await Task.WhenAny(_outbox.Completion, Task.Delay(RelayServer.WriteTimeout)).ConfigureAwait(false) == _outbox.Completion;
        _closed.Cancel();
        if (!written)
        {
            Transport.Abort(); // a peer that does not read gets no graceful close
        }

        // Otherwise the owner disposes the transport, which closes gracefully: an abort (RST) could make the peer's
        // system drop the last frame before the peer reads it.
    }

    /// <summary>Completes when the writer has stopped and the link is closed.</summary>
    protected Task WriterCompletion { get; }

    /// <summary>The link closes when its writer stops, whatever stopped it.</summary>
    private async Task CloseWhenWrittenAsync()
    {
        try
        {
            await _outbox.Completion.ConfigureAwait(false);
        }
        finally
        {
            Close();
        }
    }

    private void OnWriteStalled()
    {
        Server.Events.WriteStalled(this);
        Close();
    }

    /// <summary>
    /// Runs the link: registers it where it can be reached, reads until it ends, then unregisters it and releases the
    /// transport. Its writer runs from the start, so a link refused before it runs can still be sent a last notice. An
    /// unexpected exception is logged and closes this link with an <c>internal_error</c> notice; it never escapes.
    /// </summary>
    protected async Task RunAsync(Action register, Action unregister)
    {
        try
        {
            register();
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Not the peer's doing (the read loop handles that): a fault here, or in what registering calls (a
            // backplane's mailbox). The link goes; the relay and the other links stay.
            Server.Events.LinkFailed(this, e);
            await CloseAfterAsync(Notice("internal_error", "The relay could not serve this link; connect again.")).ConfigureAwait(false);
        }
        finally
        {
            unregister();
            Close();
            await WriterCompletion.ConfigureAwait(false);
            await Transport.DisposeAsync().ConfigureAwait(false);
            Server.Events.Disconnected(this);
        }
    }

    /// <summary>Encodes a notice in this link's protocol (sent before closing, or to warn).</summary>
    public abstract byte[] Notice(string code, string text);

    /// <summary>Takes the next complete frame from <paramref name="buffer"/>; throws <see cref="RelayProtocolException"/> on a bad one.</summary>
    /// <param name="buffer">What has been read; advanced past the frame taken.</param>
    /// <param name="completed">Whether the peer has finished sending (no more bytes will come).</param>
    /// <param name="frame">The frame taken.</param>
    protected abstract bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, bool completed, out ReadOnlySequence<byte> frame);

    /// <summary>Acts on one frame from the peer; completes synchronously unless the frame must wait (a join for its rate-limit token).</summary>
    protected abstract ValueTask HandleAsync(ReadOnlySequence<byte> frame);

    /// <summary>
    /// Reads and handles frames until the peer leaves, goes idle past the client timeout, takes longer than the frame
    /// deadline over one frame, holds more of a partial frame than the relay's budget allows, breaks the protocol, or is
    /// disconnected by backpressure. After each frame the sender's backpressure stage is checked and applied before
    /// anything more is read from it.
    /// </summary>
    protected async Task ReadLoopAsync()
    {
        var input = Transport.Pipe.Input;
        var options = Server.Options;
        long partialBytes = 0;
        using var deadlines = new FrameDeadlines(options.FrameDeadline, options.ClientTimeout);
        using var stop = Closed.Register(static state => ((PipeReader)state!).CancelPendingRead(), input);
        try
        {
            while (true)
            {
                if (await deadlines.ReadAsync(input).ConfigureAwait(false) is not { } result)
                {
                    await TimedOutAsync(deadlines.InPartialFrame, partialBytes).ConfigureAwait(false);
                    return;
                }

                var buffer = result.Buffer;
                var stage = BackpressureStage.None;
                while (stage == BackpressureStage.None && TryTakeFrame(ref buffer, result.IsCompleted, out var frame))
                {
                    deadlines.FrameCompleted();
                    await HandleAsync(frame).ConfigureAwait(false);
                    stage = Backpressure.StageOf(this, options.Backpressure);
                    if (stage == BackpressureStage.None && _reported != BackpressureStage.None)
                    {
                        EndBackpressureEpisode();
                    }
                }

                if (stage == BackpressureStage.None)
                {
                    // What is left begins a frame: its deadline runs from its first byte, and it holds part of the budget.
                    deadlines.Buffered(!buffer.IsEmpty);
                    if (!Server.PartialFrames.TryHold(ref partialBytes, buffer.Length))
                    {
                        Server.Events.PartialFramesFull(this, buffer.Length, Server.PartialFrames.Held);
                        input.AdvanceTo(buffer.Start, buffer.End);
                        await CloseAfterAsync(Notice("relay_busy", "The relay holds as many incomplete frames as it may; disconnected, try again later.")).ConfigureAwait(false);
                        return;
                    }
                }

                input.AdvanceTo(buffer.Start, stage == BackpressureStage.None ? buffer.End : buffer.Start);
                if (stage != BackpressureStage.None && !await ApplyBackpressureAsync(stage).ConfigureAwait(false))
                {
                    return;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (RelayProtocolException e)
        {
            Server.Events.ProtocolViolation(this, e.Message);
            await CloseAfterAsync(Notice(e.Code, e.Message)).ConfigureAwait(false);
        }
        catch (Exception e) when (LinkLoss.Is(e) || e is OperationCanceledException)
        {
        }
        finally
        {
            Server.PartialFrames.Release(ref partialBytes);
        }
    }

    /// <summary>A read's deadline passed: idle between frames, or a frame not finished in time.</summary>
    private Task TimedOutAsync(bool inPartialFrame, long partialBytes)
    {
        if (!inPartialFrame)
        {
            Server.Events.IdleTimeout(this);
            return CloseAfterAsync(Notice("idle_timeout", "You have been disconnected due to inactivity."));
        }

        Server.Events.FrameTimeout(this, partialBytes);
        return CloseAfterAsync(Notice("frame_timeout",
            $"A message did not complete within {Server.Options.FrameDeadline.TotalSeconds:0.###} s of its first byte; disconnected."));
    }

    /// <summary>Applies a backpressure stage; false when the link was closed.</summary>
    private async Task<bool> ApplyBackpressureAsync(BackpressureStage stage)
    {
        var options = Server.Options;
        if (stage == BackpressureStage.Disconnect || FlowControlOutlasted(stage, options.Backpressure))
        {
            var reason = stage == BackpressureStage.Disconnect
                ? $"backpressure: {ContributedMessages} messages / {ContributedBytes} bytes queued at recipients"
                : $"backpressure: held in flow control for over {options.Backpressure.MaxFlowControl.TotalSeconds:0.###} s";
            Server.Quarantine(this, reason);
            await CloseAfterAsync(Notice("quarantined", $"Disconnected for flooding; quarantined for {options.QuarantineCooldown.TotalSeconds:0} s.")).ConfigureAwait(false);
            return false;
        }

        if (stage > _reported)
        {
            _reported = stage;
            Server.Events.Backpressure(this, stage);
            Enqueue(stage == BackpressureStage.Throttle
                ? Notice("throttled", "Sending too fast: reading from you is delayed.")
                : Notice("flow_controlled", "Recipients' queues are full: reading from you is paused."));
        }

        if (stage == BackpressureStage.Throttle)
        {
            await Task.Delay(options.ThrottleDelay, Server.Time, Closed).ConfigureAwait(false);
            return true;
        }

        // Flow control: read nothing until what this link queued drains below the threshold, or the delay passes
        // (after which one more frame is read, so a recipient that never drains escalates to disconnection).
        var until = Server.Time.GetTimestamp() + (long)(options.FlowControlDelay.TotalSeconds * Server.Time.TimestampFrequency);
        while (Backpressure.StageOf(this, options.Backpressure) >= BackpressureStage.FlowControl)
        {
            var left = Server.Time.GetElapsedTime(Server.Time.GetTimestamp(), until);
            if (left <= TimeSpan.Zero || !await Drained.WaitAsync(left, Closed).ConfigureAwait(false))
            {
                break;
            }
        }

        if (Backpressure.StageOf(this, options.Backpressure) == BackpressureStage.None)
        {
            EndBackpressureEpisode();
        }

        return true;
    }

    /// <summary>
    /// Whether this sender has been in flow control longer than the policy allows: the clock starts when it first
    /// reaches flow control and stops only when what it queued drains below the throttle thresholds, so dipping to
    /// throttling and back does not restart it.
    /// </summary>
    private bool FlowControlOutlasted(BackpressureStage stage, BackpressurePolicy policy)
    {
        var now = Server.Time.GetTimestamp();
        if (stage >= BackpressureStage.FlowControl && _flowControlledSince == 0)
        {
            _flowControlledSince = now;
        }

        return policy.EnableDisconnect && _flowControlledSince != 0 && Server.Time.GetElapsedTime(_flowControlledSince, now) >= policy.MaxFlowControl;
    }

    /// <summary>What this sender queued has drained: the next backpressure stage is reported again and timed afresh.</summary>
    private void EndBackpressureEpisode()
    {
        _reported = BackpressureStage.None;
        _flowControlledSince = 0;
    }

    /// <summary>A message of this link is held elsewhere (a backplane's broker, until it confirms): it counts toward
    /// this link's backpressure like one waiting in another link's queue.</summary>
    public void HeldElsewhere(int bytes)
    {
        Interlocked.Increment(ref _contributedMessages);
        Interlocked.Add(ref _contributedBytes, bytes);
    }

    /// <summary>A message counted by <see cref="HeldElsewhere"/> is settled.</summary>
    public void ReleasedElsewhere(int bytes)
    {
        Interlocked.Decrement(ref _contributedMessages);
        Interlocked.Add(ref _contributedBytes, -bytes);
        Drained.Set();
    }

    private void Written(int bytes, RelayLink? origin)
    {
        Interlocked.Decrement(ref _queuedMessages);
        Interlocked.Add(ref _queuedBytes, -bytes);
        if (origin is not null)
        {
            Interlocked.Decrement(ref origin._contributedMessages);
            Interlocked.Add(ref origin._contributedBytes, -bytes);
            origin.Drained.Set();
        }
    }

    /// <summary>A queued frame; once written, it no longer counts against this link or its origin.</summary>
    private readonly struct Outbound(RelayLink link, ReadOnlyMemory<byte> frame, RelayLink? origin) : IOutboundFrame
    {
        public ReadOnlyMemory<byte> Frame => frame;

        public void OnWritten() => link.Written(frame.Length, origin);
    }
}
