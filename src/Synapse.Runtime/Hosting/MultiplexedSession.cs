using System.Buffers;
using System.IO.Pipelines;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Hosting;

/// <summary>
/// A connection after <c>_synapse.hello</c>: it stays open, many calls are in flight (up to its <see cref="CallSlots"/>),
/// responses go out through one <see cref="FrameOutbox"/> as they complete, no larger than the client announced, and
/// <c>{"type":"cancel"}</c> notices cancel calls by id, even while the connection waits at its limit; streaming calls
/// send their items through the same outbox, paced by the caller's <c>{"type":"credit"}</c> notices.
/// </summary>
internal sealed class MultiplexedSession : IStreamSink
{
    private readonly AgentHostOptions _options;
    private readonly RunningCalls _calls;
    private readonly IInvocationOwner _owner;

    /// <param name="options">The host's limits.</param>
    /// <param name="helloArguments">The hello request's <c>args</c>, where the client announces its <c>max_frame_size</c>.</param>
    /// <param name="output">The link's output, written by the outbox only from now on.</param>
    /// <param name="calls">The connection's calls.</param>
    /// <param name="owner">Recycles a call whose response is written, or could not be queued.</param>
    /// <param name="onStalled">Closes the connection when a write outlives the write timeout.</param>
    public MultiplexedSession(AgentHostOptions options, ReadOnlySequence<byte> helloArguments, PipeWriter output, RunningCalls calls, IInvocationOwner owner, Action onStalled)
    {
        _options = options;
        _calls = calls;
        _owner = owner;
        var (maxFrameSize, features) = HelloTerms(helloArguments, options);
        PeerMaxFrameSize = Math.Min(options.MaxFrameSize, maxFrameSize);
        TakesProgress = features.Contains(RpcProtocol.FeatureProgress);
        Outbox = new FrameOutbox(output, options.WriteTimeout, onStalled);
        Slots = new CallSlots(options.MaxConcurrentCallsPerConnection);
    }

    /// <summary>The largest response the client accepts.</summary>
    public int PeerMaxFrameSize { get; }

    /// <summary>Whether the client said in its hello that it takes progress reports.</summary>
    public bool TakesProgress { get; }

    /// <summary>Writes every response of the connection.</summary>
    public FrameOutbox Outbox { get; }

    /// <summary>The connection's limit of calls in flight.</summary>
    public CallSlots Slots { get; }

    /// <summary>Sends the response now if the call completed, else registers the call for cancellation and sends when it completes.</summary>
    public void Respond(RpcInvocation invocation, ValueTask pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            Send(invocation);
        }
        else
        {
            _calls.Track(invocation);
            _ = SendWhenDoneAsync(invocation, pending);
        }
    }

    /// <summary>Queues a completed call's response.</summary>
    public void Send(RpcInvocation invocation)
    {
        if (!Outbox.TryEnqueue(invocation))
        {
            _owner.OnResponseWritten(invocation);
        }
    }

    /// <summary>Applies a cancel notice: cancels the running call whose id is <paramref name="idValue"/> (raw MessagePack), if any.</summary>
    public void Cancel(ReadOnlySequence<byte> idValue)
    {
        if (ReadId(idValue) is { } id)
        {
            _calls.Cancel(id);
        }
    }

    /// <summary>Applies a credit notice: the streaming call whose id is <paramref name="idValue"/> may send <paramref name="credits"/> more items.</summary>
    public void Grant(ReadOnlySequence<byte> idValue, int credits)
    {
        if (ReadId(idValue) is { } id)
        {
            _calls.Grant(id, credits);
        }
    }

    /// <summary>Applies a parsed cancel or credit notice; false for anything else.</summary>
    public bool TryApplyNotice(in ParsedRequest notice)
    {
        switch (notice.Kind)
        {
            case RequestKind.Cancel:
                Cancel(notice.Id);
                return true;
            case RequestKind.Credit:
                Grant(notice.Id, notice.Credits);
                return true;
            default:
                return false;
        }
    }

    void IStreamSink.Track(RpcInvocation invocation) => _calls.Track(invocation);

    bool IStreamSink.TrySend(IOutboundFrame frame) => Outbox.TryEnqueue(frame);

    /// <summary>
    /// Waits for a call slot while the request at the start of <paramref name="buffer"/> stays unconsumed. Meanwhile
    /// it keeps reading, up to a bounded amount, and applies the cancel and credit notices queued behind that request,
    /// so a caller can still cancel calls, and keep streams going, on a connection at its limit. Applying a notice twice is harmless. The slot goes
    /// to the next <see cref="CallSlots.TryTake"/>.
    /// </summary>
    /// <returns>What was read, to be handled without a new read; nothing of it has been advanced past.</returns>
    public async Task<ReadResult> WaitForSlotAsync(PipeReader input, ReadOnlySequence<byte> buffer, bool inputCompleted, CancellationToken aborted)
    {
        // Nothing is advanced past on the way out: the caller processes the returned buffer, then advances. (Pipes
        // refuse to move "examined" backwards, so a buffer once examined to its end must not be re-read that way.)
        var maxBuffered = (long)_options.MaxFrameSize + (64 * 1024);
        var slot = Slots.WaitAsync(aborted);
        var current = new ReadResult(buffer, isCanceled: false, inputCompleted);
        while (true)
        {
            ApplyQueuedCancelNotices(current.Buffer);
            if (slot.IsCompleted || current.IsCompleted || current.Buffer.Length > maxBuffered)
            {
                break;
            }

            input.AdvanceTo(current.Buffer.Start, current.Buffer.End);
            var read = input.ReadAsync().AsTask();
            if (await Task.WhenAny(slot, read).ConfigureAwait(false) == slot)
            {
                input.CancelPendingRead();
                current = await read.ConfigureAwait(false);
                break;
            }

            current = await read.ConfigureAwait(false);
        }

        await slot.ConfigureAwait(false);
        return current;
    }

    /// <summary>
    /// What the client announced in its hello: its <c>max_frame_size</c> (responses above it would be refused) and the
    /// features it takes.
    /// </summary>
    internal static (int MaxFrameSize, IReadOnlySet<string> Features) HelloTerms(ReadOnlySequence<byte> helloArguments, AgentHostOptions options)
    {
        var maxFrameSize = options.MaxFrameSize;
        var features = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var reader = new MsgPackReader(helloArguments, options.ReaderOptions);
            if (!reader.End && reader.ReadArrayHeader() > 0 && MsgPackValue.ReadFrom(ref reader) is { Type: MsgPackType.Map } terms)
            {
                if (terms["max_frame_size"] is { Type: MsgPackType.Integer } size)
                {
                    maxFrameSize = (int)Math.Clamp(size.AsInt64(), 64, int.MaxValue);
                }

                if (terms["features"] is { Type: MsgPackType.Array } announced)
                {
                    features.UnionWith(announced.AsArray().Where(f => f.Type == MsgPackType.String).Select(f => f.AsString()));
                }
            }
        }
        catch (Exception e) when (e is MsgPackException or InvalidOperationException or OverflowException)
        {
        }

        return (maxFrameSize, features);
    }

    private string? ReadId(ReadOnlySequence<byte> idValue)
    {
        try
        {
            var reader = new MsgPackReader(idValue, _options.ReaderOptions);
            return reader.ReadString();
        }
        catch (MsgPackException)
        {
            return null;
        }
    }

    private async Task SendWhenDoneAsync(RpcInvocation invocation, ValueTask pending)
    {
        await pending.ConfigureAwait(false); // CallExecutor never throws: failures become error responses
        Send(invocation);
    }

    private void ApplyQueuedCancelNotices(ReadOnlySequence<byte> buffer)
    {
        var first = true;
        while (Frames.TryPeekLength(buffer, out var length) && length <= (uint)_options.MaxFrameSize && buffer.Length >= Frames.HeaderSize + length)
        {
            var frame = buffer.Slice(Frames.HeaderSize, length);
            if (!first && RpcRequestParser.TryParse(frame, _options.ReaderOptions, allowCancel: true, out var request) is null)
            {
                _ = TryApplyNotice(request); // a stream waiting for credit may hold the slot the request waits for
            }

            first = false;
            buffer = buffer.Slice(frame.End);
        }
    }
}
