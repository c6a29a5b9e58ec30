using System.Buffers;
using System.Net;
using Synapse.Buffers;
using Synapse.MessagePack;
using Synapse.Transport.Framing;

namespace Synapse.Rpc;

/// <summary>
/// One call being served: the raw MessagePack arguments, the response being built, and the call's cancellation.
/// Instances are pooled by the host and reused, so a generated dispatcher must not keep one after the call completes.
/// </summary>
public sealed class RpcInvocation : IOutboundFrame
{
    private readonly PooledBufferWriter _response = new(512);
    private readonly PooledBufferWriter _id = new(80);
    private readonly Lock _gate = new();
    private CancellationTokenSource? _cancellation;
    private bool _cancelRequested;
    private CallContext? _context;
    private string? _requestId;
    private int _credits;
    private TaskCompletionSource? _creditWaiter;
    private ICallProgress? _progress;

    internal RpcInvocation(MsgPackReaderOptions readerOptions)
    {
        ReaderOptions = readerOptions;
    }

    /// <summary>The raw <c>args</c> array (empty when the request had none).</summary>
    public ReadOnlySequence<byte> Arguments { get; private set; }

    /// <summary>The raw <c>kwargs</c> map (empty when the request had none).</summary>
    public ReadOnlySequence<byte> KeywordArguments { get; private set; }

    /// <summary>Limits for reading the arguments.</summary>
    public MsgPackReaderOptions ReaderOptions { get; }

    /// <summary>The endpoint being called (wire name).</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Cancelled when the caller cancels or disconnects, or when the host stops.</summary>
    public CancellationToken CancellationToken
    {
        get
        {
            lock (_gate)
            {
                if (_cancelRequested)
                {
                    return new CancellationToken(true);
                }

                _cancellation ??= new CancellationTokenSource();
                return _cancellation.Token;
            }
        }
    }

    /// <summary>Details of the call for handlers that declare a <see cref="CallContext"/> parameter.</summary>
    public CallContext Context => _context ??= new CallContext(Endpoint, RequestId, RemoteEndPoint, PeerId, CancellationToken, TaskInput, Attachment);

    /// <summary>The caller's request id.</summary>
    public string RequestId => _requestId ??= RpcProtocol.DecodeRequestId(_id.WrittenSpan);

    /// <summary>Where items go when the endpoint streams; null on a connection that cannot carry a stream.</summary>
    internal IStreamSink? StreamSink { get; set; }

    /// <summary>The task the call runs as, when it runs as one.</summary>
    internal ITaskInput? TaskInput { get; set; }

    /// <summary>What a layer above attached before the call ran (a swarm broadcast's envelope), for <see cref="CallContext.Attachment"/>.</summary>
    internal object? Attachment { get; set; }

    /// <summary>Notified when the response has been handed to the transport.</summary>
    internal IInvocationOwner? Owner { get; set; }

    /// <summary>When the call started (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
    internal long StartTimestamp { get; set; }

    /// <summary>The call's server span, when a listener traces calls; stopped when the response is written.</summary>
    internal System.Diagnostics.Activity? Activity { get; set; }

    internal EndPoint? RemoteEndPoint { get; private set; }

    internal string? PeerId { get; private set; }

    /// <summary>The largest response payload the caller accepts; a larger result becomes an <c>internal_error</c>.</summary>
    internal int MaxResponseSize { get; private set; } = int.MaxValue;

    internal bool HasResponse { get; private set; }

    /// <summary>Whether the connection registered the call for cancellation by id.</summary>
    internal bool Tracked { get; set; }

    /// <summary>The error code of the response, or <c>null</c> for a successful one.</summary>
    internal string? ErrorCode { get; private set; }

    internal bool IsCancellationRequested => Volatile.Read(ref _cancelRequested);

    /// <summary>The complete response frame (length prefix included), valid once the call has completed.</summary>
    internal ReadOnlyMemory<byte> ResponseFrame => _response.WrittenMemory;

    /// <summary>Replaces the keyword arguments, once a layer above took the ones meant for it.</summary>
    internal void ReplaceKeywordArguments(ReadOnlyMemory<byte> keywordArguments) => KeywordArguments = new ReadOnlySequence<byte>(keywordArguments);

    /// <summary>Drops the argument slices once they have been bound, since they point into a transport buffer.</summary>
    internal void ReleaseArguments()
    {
        Arguments = default;
        KeywordArguments = default;
    }
    /// <summary>Starts a successful response and returns a writer positioned at the <c>result</c> value.</summary>
    public MsgPackWriter BeginResult()
    {
        ErrorCode = null;
        _response.Reset();
        var writer = new MsgPackWriter(_response);
        RpcProtocol.WriteResponseHead(ref writer, _id.WrittenSpan, ok: true);
        return writer;
    }

    /// <summary>Completes a response started with <see cref="BeginResult"/> once the result value is written.</summary>
    public void EndResult(ref MsgPackWriter writer)
    {
        RpcProtocol.WriteResponseTail(ref writer);
        writer.Flush();
        FinishFrame();
    }

    /// <summary>Completes the call with <paramref name="result"/> (built-ins that answer a value).</summary>
    internal void CompleteWith(MsgPackValue result)
    {
        var writer = BeginResult();
        result.WriteTo(ref writer);
        EndResult(ref writer);
    }

    /// <summary>Completes the call with a <c>nil</c> result (void endpoints).</summary>
    public void CompleteWithNil()
    {
        var writer = BeginResult();
        writer.WriteNil();
        EndResult(ref writer);
    }

    /// <summary>Completes the call with an error response.</summary>
    public void CompleteWithError(string code, string message)
    {
        ErrorCode = code;
        _response.Reset();
        var writer = new MsgPackWriter(_response);
        RpcProtocol.WriteErrorResponse(ref writer, _id.WrittenSpan, code, message);
        writer.Flush();
        FinishFrame();
    }

    /// <summary>
    /// Sends the items of a streaming endpoint as they are produced, then completes the call. The caller grants credit
    /// for <see cref="RpcProtocol.StreamWindow"/> items at a time: with none left, producing waits, so a slow consumer
    /// slows the producer and a stream holds a bounded number of items. The enumerator is disposed when the stream ends,
    /// fails, or the caller cancels (its cancellation token is the call's).
    /// </summary>
    /// <typeparam name="TItem">The item type.</typeparam>
    /// <param name="items">The endpoint's items.</param>
    /// <param name="write">Writes one item.</param>
    /// <exception cref="RpcException"><c>bad_request</c>: the call came on a connection that cannot carry a stream (one call per connection, as synapse-p2p makes them).</exception>
    public ValueTask StreamAsync<TItem>(IAsyncEnumerable<TItem> items, RpcItemWriter<TItem> write)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(write);
        if (StreamSink is not { } sink)
        {
            throw new RpcException(RpcErrorCodes.BadRequest,
                $"{Endpoint} streams its results: call it over a multiplexed Synapse connection (a connection that carries one call, as synapse-p2p makes them, cannot carry a stream)");
        }

        return StreamToAsync(sink, items, write);
    }

    /// <summary>
    /// The progress an endpoint reports (its <c>IProgress&lt;T&gt;</c> parameter): each report goes to the caller at
    /// once, on a multiplexed connection whose client said it takes progress. Reports made faster than the connection
    /// sends them are coalesced, the latest kept; reports after the call completed are dropped. Elsewhere (one call per
    /// connection, as synapse-p2p makes them) reports go nowhere and the call runs as usual.
    /// </summary>
    /// <typeparam name="TValue">The type of a report.</typeparam>
    /// <param name="write">Writes one report.</param>
    public IProgress<TValue> Progress<TValue>(RpcItemWriter<TValue> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (StreamSink is not { TakesProgress: true } sink)
        {
            return NoProgress<TValue>.Instance;
        }

        var progress = new CallProgress<TValue>(sink, _id.WrittenSpan.ToArray(), write);
        _progress = progress;
        return progress;
    }

    /// <summary>Grants the stream <paramref name="credits"/> more items (a credit notice).</summary>
    internal void GrantCredit(int credits)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _credits = Math.Min(_credits + credits, RpcProtocol.MaxStreamCredit);
            waiter = _creditWaiter;
            _creditWaiter = null;
        }

        waiter?.TrySetResult();
    }

    private async ValueTask StreamToAsync<TItem>(IStreamSink sink, IAsyncEnumerable<TItem> items, RpcItemWriter<TItem> write)
    {
        lock (_gate)
        {
            _credits = RpcProtocol.StreamWindow;
        }

        sink.Track(this);
        var cancellationToken = CancellationToken;
        await using var enumerator = items.GetAsyncEnumerator(cancellationToken);
        while (await enumerator.MoveNextAsync().ConfigureAwait(false))
        {
            await TakeCreditAsync(cancellationToken).ConfigureAwait(false);
            var frame = StreamItemFrame.Encode(_id.WrittenSpan, "item"u8, enumerator.Current, write, sink.PeerMaxFrameSize);
            if (!sink.TrySend(frame))
            {
                frame.Dispose();
                throw new OperationCanceledException("the connection is closing", cancellationToken);
            }
        }

        CompleteWithNil();
    }

    private async ValueTask TakeCreditAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task waiting;
            lock (_gate)
            {
                if (_credits > 0)
                {
                    _credits--;
                    return;
                }

                waiting = (_creditWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await waiting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    ReadOnlyMemory<byte> IOutboundFrame.Frame => _response.WrittenMemory;

    void IOutboundFrame.OnWritten() => Owner?.OnResponseWritten(this);

    /// <summary>Prepares the invocation for a call; <paramref name="idValue"/> is the request's raw <c>id</c> value (empty when absent).</summary>
    internal void Start(string endpoint, ReadOnlySequence<byte> idValue, ReadOnlySequence<byte> arguments, ReadOnlySequence<byte> keywordArguments, EndPoint? remote, string? peerId, int maxResponseSize)
    {
        Endpoint = endpoint;
        MaxResponseSize = maxResponseSize;
        _id.Reset();
        if (!idValue.IsEmpty)
        {
            var reader = new MsgPackReader(idValue, ReaderOptions);
            RpcProtocol.EncodeIdToken(ref reader, _id);
        }

        Arguments = arguments;
        KeywordArguments = keywordArguments;
        RemoteEndPoint = remote;
        PeerId = peerId;
        HasResponse = false;
    }

    /// <summary>Requests cancellation of the handler (caller cancelled, connection lost, host stopping).</summary>
    internal void Cancel()
    {
        CancellationTokenSource? cts;
        lock (_gate)
        {
            if (_cancelRequested)
            {
                return;
            }

            _cancelRequested = true;
            cts = _cancellation;
        }

        try
        {
            cts?.Cancel();
        }
        catch (AggregateException)
        {
            // A registered callback threw; the handler observes the cancellation anyway.
        }
        catch (ObjectDisposedException)
        {
            // The call completed and was recycled meanwhile: nothing left to cancel.
        }
    }

    /// <summary>Clears per-call state so the instance can serve another call.</summary>
    internal bool TryReset()
    {
        lock (_gate)
        {
            // A fresh source per call: a token a handler kept must never fire for a later call on this pooled object.
            _cancellation?.Dispose();
            _cancellation = null;
            _cancelRequested = false;
            _credits = 0;
            _creditWaiter = null;
        }

        StreamSink = null;
        TaskInput = null;
        Attachment = null;
        _progress?.Close();
        _progress = null;

        _context = null;
        _requestId = null;
        _id.Reset();
        Owner = null;
        ErrorCode = null;
        Tracked = false;
        Activity = null;
        Arguments = default;
        KeywordArguments = default;
        RemoteEndPoint = null;
        PeerId = null;
        HasResponse = false;
        _response.Reset();
        return _response.Capacity <= 64 * 1024; // very large response buffers are not kept in the pool

    }

    private void FinishFrame()
    {
        var payloadLength = _response.WrittenCount - Frames.HeaderSize;
        if (payloadLength > MaxResponseSize)
        {
            var size = payloadLength;
            _response.Reset();
            var writer = new MsgPackWriter(_response);
            ErrorCode = RpcErrorCodes.InternalError;
            RpcProtocol.WriteErrorResponse(ref writer, _id.WrittenSpan, ErrorCode, $"response too large: {size} > {MaxResponseSize}");
            writer.Flush();
            payloadLength = _response.WrittenCount - Frames.HeaderSize;
        }

        Frames.WriteHeader(_response.GetWrittenSpanForPatch(0, Frames.HeaderSize), payloadLength);
        HasResponse = true;
        _progress?.Close(); // the response is built: later reports would follow it
        _progress = null;
    }
}

/// <summary>Receives invocations whose responses have been written, to recycle them.</summary>
internal interface IInvocationOwner
{
    void OnResponseWritten(RpcInvocation invocation);
}
