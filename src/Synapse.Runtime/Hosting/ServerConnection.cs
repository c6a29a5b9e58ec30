using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipelines;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Transport;

namespace Synapse.Hosting;

/// <summary>
/// Serves one connection. The first frame decides the mode: <c>_synapse.hello</c> from a Synapse client switches to a
/// persistent connection with many calls in flight, matched by id; anything else is served as synapse-p2p does
/// (one request, one response, close).
/// </summary>
internal sealed class ServerConnection : IInvocationOwner
{
    private const int MaxLingerBytes = 16 * 1024 * 1024;

    private readonly AgentHost _host;
    private readonly ITransportConnection _transport;
    private readonly PipeReader _input;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, RpcInvocation> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _slots;
    private CancellationTokenSource _readTimeout = new();
    private FrameOutbox? _outbox;
    private TaskCompletionSource? _drained;
    private int _inFlight;
    private bool _multiplexed;
    private bool _slotHeld;
    private bool _partialFrameBuffered;
    private volatile bool _shuttingDown;

    public ServerConnection(AgentHost host, ITransportConnection transport)
    {
        _host = host;
        _transport = transport;
        _input = transport.Pipe.Input;
        _slots = new SemaphoreSlim(host.Options.MaxConcurrentCallsPerConnection);
    }

    /// <summary>Completes when the connection is closed and all its calls have ended.</summary>
    public Task Completion => _completion.Task;

    public int InFlight => Volatile.Read(ref _inFlight);

    private AgentHostOptions Options => _host.Options;

    /// <summary>Stops reading requests; calls in flight still complete and their responses are sent.</summary>
    public void BeginShutdown()
    {
        _shuttingDown = true;
        _input.CancelPendingRead();
    }

    /// <summary>Cancels every call and closes the transport.</summary>
    public void Abort()
    {
        _shuttingDown = true;
        CancelRunningCalls();
        _aborted.TrySetResult();
        _transport.Abort();
    }

    public async Task RunAsync()
    {
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
        }
        catch (Exception e)
        {
            HostLog.ConnectionFailed(_host.Logger, e, _transport.RemoteEndPoint);
        }
        finally
        {
            if (!_shuttingDown)
            {
                CancelRunningCalls(); // the caller is gone: nobody will read these results
            }

            await WaitForCallsAsync().ConfigureAwait(false);
            if (_outbox is not null)
            {
                _outbox.Complete();
                await _outbox.Completion.ConfigureAwait(false);
            }

            await _transport.DisposeAsync().ConfigureAwait(false);
            _readTimeout.Dispose();
            _completion.TrySetResult();
        }
    }

    void IInvocationOwner.OnResponseWritten(RpcInvocation invocation) => Finish(invocation);

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            var read = await ReadAsync().ConfigureAwait(false);
            if (read is not { } result)
            {
                return;
            }

            var buffer = result.Buffer;
            if (result.IsCanceled || _shuttingDown)
            {
                _input.AdvanceTo(buffer.Start);
                return;
            }

            var outcome = FrameOutcome.NeedMoreData;
            while (outcome == FrameOutcome.NeedMoreData && TryReadHeader(buffer, out var length))
            {
                if (length > (uint)Options.MaxFrameSize)
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                    await RejectAndCloseAsync($"frame too large: {length} > {Options.MaxFrameSize}").ConfigureAwait(false);
                    return;
                }

                if (buffer.Length < RpcProtocol.FrameHeaderSize + length)
                {
                    break;
                }

                if (_multiplexed && !TakeSlot())
                {
                    outcome = FrameOutcome.WaitForSlot;
                    break;
                }

                var frame = buffer.Slice(RpcProtocol.FrameHeaderSize, length);
                var next = buffer.Slice(frame.End);
                outcome = HandleFrame(frame, out var legacyCall);
                buffer = next;
                if (legacyCall is { } call)
                {
                    _input.AdvanceTo(buffer.End); // synapse-p2p ignores anything after the first request
                    await CompleteSingleRequestAsync(call.Invocation, call.Pending).ConfigureAwait(false);
                    return;
                }
            }

            if (outcome == FrameOutcome.WaitForSlot)
            {
                _input.AdvanceTo(buffer.Start);
                await _slots.WaitAsync().ConfigureAwait(false);
                _slotHeld = true;
                continue;
            }

            if (outcome == FrameOutcome.Close)
            {
                _input.AdvanceTo(buffer.End);
                return;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            _partialFrameBuffered = !buffer.IsEmpty;
            if (result.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    await RejectAndCloseAsync("incomplete frame").ConfigureAwait(false);
                }

                return;
            }
        }
    }

    /// <summary>Reads with the idle or frame timeout; returns <c>null</c> when the connection timed out.</summary>
    private async ValueTask<ReadResult?> ReadAsync()
    {
        var waitingForFrame = _partialFrameBuffered;
        TimeSpan? timeout = waitingForFrame ? Options.FrameReadTimeout : InFlight > 0 ? null : Options.IdleTimeout;
        if (timeout is { } limit)
        {
            _readTimeout.CancelAfter(limit);
        }

        try
        {
            return await _input.ReadAsync(_readTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_readTimeout.IsCancellationRequested)
        {
            if (waitingForFrame)
            {
                HostLog.ConnectionRejected(_host.Logger, _transport.RemoteEndPoint, $"frame not completed within {Options.FrameReadTimeout}");
                await RejectAndCloseAsync($"incomplete frame: not completed within {Options.FrameReadTimeout.TotalSeconds:0.###} s").ConfigureAwait(false);
            }
            else
            {
                HostLog.IdleTimeout(_host.Logger, _transport.RemoteEndPoint, Options.IdleTimeout);
            }

            return null;
        }
        finally
        {
            if (!_readTimeout.TryReset())
            {
                _readTimeout.Dispose();
                _readTimeout = new CancellationTokenSource();
            }
        }
    }

    private FrameOutcome HandleFrame(ReadOnlySequence<byte> frame, out (RpcInvocation Invocation, ValueTask Pending)? singleRequest)
    {
        singleRequest = null;
        var error = RpcRequestParser.TryParse(frame, Options.ReaderOptions, allowCancel: _multiplexed, out var request);
        if (error is not null)
        {
            HostLog.BadRequest(_host.Logger, _transport.RemoteEndPoint, error);
            var failed = StartInvocation("(bad request)", default, default);
            failed.CompleteWithError(RpcErrorCodes.BadRequest, error);
            return Respond(failed, ref singleRequest);
        }

        if (request.Kind == RequestKind.Cancel)
        {
            CancelCall(request.Id);
            _slots.Release(); // a cancel message has no response to hold its slot
            return FrameOutcome.NeedMoreData;
        }

        Span<byte> scratch = stackalloc byte[128];
        var endpoint = Contiguous(request.Endpoint, scratch);
        if (!request.EndpointIsString)
        {
            endpoint = [];
        }

        if (!_multiplexed && Options.EnableMultiplexing && endpoint.SequenceEqual("_synapse.hello"u8))
        {
            return SwitchToMultiplexed(request);
        }

        var name = CallExecutor.MetricName(_host.Dispatcher, endpoint);
        var invocation = StartInvocation(name, request.Id, request);
        var pending = request.EndpointIsString
            ? CallExecutor.ExecuteAsync(_host.Dispatcher, _host.Builtins, invocation, endpoint, _host.Logger)
            : Unregistered(invocation, request.Endpoint);
        invocation.ReleaseArguments();
        if (!_multiplexed)
        {
            singleRequest = (invocation, pending);
            return FrameOutcome.NeedMoreData;
        }

        if (pending.IsCompletedSuccessfully)
        {
            Send(invocation);
        }
        else
        {
            TrackRunning(invocation);
            _ = SendWhenDoneAsync(invocation, pending);
        }

        return FrameOutcome.NeedMoreData;
    }

    private static ValueTask Unregistered(RpcInvocation invocation, ReadOnlySequence<byte> rawEndpoint)
    {
        invocation.CompleteWithError(RpcErrorCodes.BadRequest, $"Unregistered endpoint called: {MsgPackValue.Parse(rawEndpoint.ToArray()).ToJson()}");
        return default;
    }

    private FrameOutcome Respond(RpcInvocation invocation, ref (RpcInvocation, ValueTask)? singleRequest)
    {
        if (_multiplexed)
        {
            Send(invocation);
        }
        else
        {
            singleRequest = (invocation, default);
        }

        return FrameOutcome.NeedMoreData;
    }

    private FrameOutcome SwitchToMultiplexed(ParsedRequest hello)
    {
        _multiplexed = true;
        _outbox = new FrameOutbox(_transport.Pipe.Output);
        var invocation = StartInvocation(RpcProtocol.HelloEndpoint, hello.Id, default);
        invocation.ReleaseArguments();
        var writer = invocation.BeginResult();
        BuiltinEndpoints.HelloResult(Options, _host.NodeId).WriteTo(ref writer);
        invocation.EndResult(ref writer);
        _slots.Wait(0);
        Send(invocation);
        return FrameOutcome.NeedMoreData;
    }

    private RpcInvocation StartInvocation(string endpoint, ReadOnlySequence<byte> id, ParsedRequest request)
    {
        var invocation = _host.RentInvocation();
        invocation.Owner = this;
        invocation.StartTimestamp = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _inFlight);
        invocation.Start(endpoint, id, request.Arguments, request.KeywordArguments, _transport.RemoteEndPoint, _transport.PeerId);
        return invocation;
    }

    private void Send(RpcInvocation invocation)
    {
        if (!_outbox!.TryEnqueue(invocation))
        {
            Finish(invocation);
        }
    }

    private async Task SendWhenDoneAsync(RpcInvocation invocation, ValueTask pending)
    {
        await pending.ConfigureAwait(false); // CallExecutor never throws: failures become error responses
        lock (_gate)
        {
            _running.Remove(invocation.RequestId);
        }

        if (!_outbox!.TryEnqueue(invocation))
        {
            Finish(invocation);
        }
    }

    private async Task CompleteSingleRequestAsync(RpcInvocation invocation, ValueTask pending)
    {
        if (!pending.IsCompleted)
        {
            TrackRunning(invocation);
            using var watch = new CancellationTokenSource();
            var closed = CancelWhenCallerLeavesAsync(invocation, watch.Token);
            await pending.ConfigureAwait(false);
            await watch.CancelAsync().ConfigureAwait(false);
            await closed.ConfigureAwait(false);
        }
        else
        {
            await pending.ConfigureAwait(false);
        }

        try
        {
            await _transport.Pipe.Output.WriteAsync(invocation.ResponseFrame).ConfigureAwait(false);
        }
        finally
        {
            Finish(invocation);
        }
    }

    /// <summary>While a single-request call runs, watch the socket: EOF means the caller gave up, so cancel the handler.</summary>
    private async Task CancelWhenCallerLeavesAsync(RpcInvocation invocation, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(stop).ConfigureAwait(false);
                _input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    if (result.IsCompleted)
                    {
                        invocation.Cancel();
                    }

                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            invocation.Cancel();
        }
    }

    private void Finish(RpcInvocation invocation)
    {
        _host.Metrics.CallCompleted(invocation.Endpoint, invocation.StartTimestamp, invocation.ErrorCode);
        _host.ReturnInvocation(invocation);
        if (_multiplexed)
        {
            _slots.Release();
        }

        if (Interlocked.Decrement(ref _inFlight) == 0)
        {
            Volatile.Read(ref _drained)?.TrySetResult();
        }
    }

    /// <summary>Takes the slot a multiplexed frame needs, or the one already awaited for it.</summary>
    private bool TakeSlot()
    {
        if (_slotHeld)
        {
            _slotHeld = false;
            return true;
        }

        return _slots.Wait(0);
    }

    private void TrackRunning(RpcInvocation invocation)
    {
        lock (_gate)
        {
            _running[invocation.RequestId] = invocation;
        }
    }

    private void CancelCall(ReadOnlySequence<byte> idValue)
    {
        string id;
        try
        {
            var reader = new MsgPackReader(idValue, Options.ReaderOptions);
            id = reader.ReadString();
        }
        catch (MsgPackException)
        {
            return;
        }

        RpcInvocation? invocation;
        lock (_gate)
        {
            _running.TryGetValue(id, out invocation);
        }

        invocation?.Cancel();
    }

    private void CancelRunningCalls()
    {
        RpcInvocation[] running;
        lock (_gate)
        {
            running = [.. _running.Values];
        }

        foreach (var invocation in running)
        {
            invocation.Cancel();
        }
    }

    private async Task WaitForCallsAsync()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if (InFlight == 0)
        {
            return;
        }

        await Task.WhenAny(drained.Task, _aborted.Task).ConfigureAwait(false);
    }

    /// <summary>Sends a bad_request with an empty id, then closes gracefully, discarding what the peer still sends.</summary>
    private async Task RejectAndCloseAsync(string message)
    {
        HostLog.BadRequest(_host.Logger, _transport.RemoteEndPoint, message);
        var frame = RpcProtocol.EncodeErrorFrame(default, RpcErrorCodes.BadRequest, message);
        if (_outbox is not null)
        {
            _outbox.TryEnqueue(new StaticFrame(frame));
            _outbox.Complete();
            await _outbox.Completion.ConfigureAwait(false);
        }
        else
        {
            await _transport.Pipe.Output.WriteAsync(frame).ConfigureAwait(false);
        }

        await _transport.Pipe.Output.CompleteAsync().ConfigureAwait(false);
        await LingerAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Reads and drops input for a moment after a rejection, so that closing with unread data does not reset the
    /// connection and destroy the error response before the peer reads it.
    /// </summary>
    private async Task LingerAsync()
    {
        using var linger = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        long discarded = 0;
        try
        {
            while (discarded < MaxLingerBytes)
            {
                var result = await _input.ReadAsync(linger.Token).ConfigureAwait(false);
                discarded += result.Buffer.Length;
                _input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static bool TryReadHeader(ReadOnlySequence<byte> buffer, out uint length)
    {
        if (buffer.Length < RpcProtocol.FrameHeaderSize)
        {
            length = 0;
            return false;
        }

        length = PeekLength(buffer);
        return true;
    }

    private static uint PeekLength(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < RpcProtocol.FrameHeaderSize)
        {
            return 0;
        }

        Span<byte> header = stackalloc byte[RpcProtocol.FrameHeaderSize];
        buffer.Slice(0, RpcProtocol.FrameHeaderSize).CopyTo(header);
        return BinaryPrimitives.ReadUInt32BigEndian(header);
    }

    private static ReadOnlySpan<byte> Contiguous(ReadOnlySequence<byte> sequence, Span<byte> scratch)
    {
        if (sequence.IsSingleSegment)
        {
            return sequence.FirstSpan;
        }

        if (sequence.Length <= scratch.Length)
        {
            sequence.CopyTo(scratch);
            return scratch[..(int)sequence.Length];
        }

        return sequence.ToArray();
    }

    private static bool IsTransportFailure(Exception e) =>
        e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException;

    private enum FrameOutcome
    {
        NeedMoreData,
        WaitForSlot,
        Close,
    }

    private sealed class StaticFrame(byte[] frame) : IOutboundFrame
    {
        public ReadOnlyMemory<byte> Frame => frame;

        public void OnWritten()
        {
        }
    }
}
