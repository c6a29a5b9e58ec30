using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Synapse.Crypto.Noise;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Transport;
using Synapse.Transport.Framing;
using Synapse.Transport.Secure;

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
    private ITransportConnection _transport;
    private PipeReader _input;
    private bool _secure;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _aborted = new();
    private readonly Dictionary<string, RpcInvocation> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _slots;
    private CancellationTokenSource _readTimeout = new();
    private FrameOutbox? _outbox;
    private TaskCompletionSource? _drained;
    private int _inFlight;
    private int _peerMaxFrameSize;
    private bool _multiplexed;
    private bool _slotHeld;
    private ReadResult? _resume;
    private long _frameStartedAt;
    private volatile bool _shuttingDown;

    public ServerConnection(AgentHost host, ITransportConnection transport)
    {
        _host = host;
        _transport = transport;
        _input = transport.Pipe.Input;
        _slots = new SemaphoreSlim(host.Options.MaxConcurrentCallsPerConnection);
        _peerMaxFrameSize = host.Options.MaxFrameSize;
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

    /// <summary>Cancels every call, stops waiting for them, and closes the transport.</summary>
    public void Abort()
    {
        _shuttingDown = true;
        CancelRunningCalls();
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _transport.Abort();
    }

    public async Task RunAsync()
    {
        try
        {
            if (await EstablishAsync().ConfigureAwait(false))
            {
                await ReadLoopAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsTransportFailure(e) || (e is OperationCanceledException && _aborted.IsCancellationRequested))
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

    /// <summary>
    /// Looks at the first bytes: a secure handshake (<see cref="SecureLink.Magic"/>) is answered and the connection
    /// continues encrypted; anything else is plaintext, served only as the <see cref="SecureLinkPolicy"/> allows.
    /// Nothing is consumed on the plaintext path. Returns false when the connection is done.
    /// </summary>
    private async Task<bool> EstablishAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_aborted.Token);
        timeout.CancelAfter(Options.IdleTimeout);
        bool handshake;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_aborted.IsCancellationRequested)
            {
                HostLog.IdleTimeout(_host.Logger, _transport.RemoteEndPoint, Options.IdleTimeout);
                return false;
            }

            var decided = StartsHandshake(result.Buffer);
            if (decided is { } secure || result.IsCompleted || result.IsCanceled)
            {
                _input.AdvanceTo(result.Buffer.Start);
                handshake = decided ?? false;
                break;
            }

            _input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        if (!handshake)
        {
            if (Options.SecureLinks == SecureLinkPolicy.Required)
            {
                await RejectAndCloseAsync("secure link required: this host accepts only Noise connections").ConfigureAwait(false);
                return false;
            }

            return true;
        }

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_aborted.Token);
            deadline.CancelAfter(Options.HandshakeTimeout);
            var logger = _host.Logger;
            _transport = await SecureLink.AcceptAsync(_transport, _host.Credential, reason => HostLog.ConnectionRejected(logger, null, reason), deadline.Token).ConfigureAwait(false);
            _input = _transport.Pipe.Input;
            _secure = true;
            return true;
        }
        catch (Exception e) when (e is NoiseException or OperationCanceledException)
        {
            HostLog.ConnectionRejected(_host.Logger, _transport.RemoteEndPoint, $"secure handshake failed: {e.Message}");
            return false;
        }
    }

    /// <summary>true/false once the first frame's bytes decide whether it opens a handshake; null while undecided.</summary>
    private static bool? StartsHandshake(ReadOnlySequence<byte> buffer)
    {
        if (!Frames.TryPeekLength(buffer, out var length))
        {
            return null;
        }

        if (length < SecureLink.Magic.Length || length > SecureLink.MaxFirstFrame)
        {
            return false;
        }

        var available = (int)Math.Min(buffer.Length - Frames.HeaderSize, SecureLink.Magic.Length);
        Span<byte> prefix = stackalloc byte[16];
        buffer.Slice(Frames.HeaderSize, available).CopyTo(prefix);
        if (!prefix[..available].SequenceEqual(SecureLink.Magic[..available]))
        {
            return false;
        }

        return available == SecureLink.Magic.Length ? true : null;
    }

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            ReadResult result;
            if (_resume is { } resumed)
            {
                // What WaitForSlotAsync left unconsumed (and not yet advanced past): process it without a new read.
                result = resumed;
                _resume = null;
            }
            else if (await ReadAsync().ConfigureAwait(false) is { } read)
            {
                result = read;
            }
            else
            {
                return;
            }

            var buffer = result.Buffer;
            if (_shuttingDown)
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
                return;
            }

            var waitForSlot = false;
            while (Frames.TryPeekLength(buffer, out var length))
            {
                if (length > (uint)Options.MaxFrameSize)
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                    await RejectAndCloseAsync($"frame too large: {length} > {Options.MaxFrameSize}").ConfigureAwait(false);
                    return;
                }

                if (buffer.Length < Frames.HeaderSize + length)
                {
                    break;
                }

                var frame = buffer.Slice(Frames.HeaderSize, length);
                if (!HandleFrame(frame, out var singleRequest))
                {
                    waitForSlot = true;
                    break;
                }

                buffer = buffer.Slice(frame.End);
                _frameStartedAt = 0;
                if (singleRequest is { } call)
                {
                    _input.AdvanceTo(buffer.End); // synapse-p2p ignores anything after the first request
                    await CompleteSingleRequestAsync(call.Invocation, call.Pending).ConfigureAwait(false);
                    return;
                }
            }

            if (waitForSlot)
            {
                _resume = await WaitForSlotAsync(buffer, result.IsCompleted).ConfigureAwait(false);
                continue;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (buffer.IsEmpty)
            {
                _frameStartedAt = 0;
            }
            else if (_frameStartedAt == 0)
            {
                _frameStartedAt = Stopwatch.GetTimestamp();
            }

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

    /// <summary>
    /// Waits for a call slot while the request at the start of <paramref name="buffer"/> stays unconsumed. Meanwhile
    /// it keeps reading, up to a bounded amount, and applies the cancel notices queued behind that request, so a
    /// caller can still cancel calls on a connection at its limit. Applying a notice twice is harmless.
    /// </summary>
    private async Task<ReadResult> WaitForSlotAsync(ReadOnlySequence<byte> buffer, bool inputCompleted)
    {
        // Nothing is advanced past on the way out: the caller processes the returned buffer, then advances. (Pipes
        // refuse to move "examined" backwards, so a buffer once examined to its end must not be re-read that way.)
        var maxBuffered = (long)Options.MaxFrameSize + (64 * 1024);
        var slot = _slots.WaitAsync(_aborted.Token);
        var current = new ReadResult(buffer, isCanceled: false, inputCompleted);
        while (true)
        {
            ApplyQueuedCancelNotices(current.Buffer);
            if (slot.IsCompleted || current.IsCompleted || current.Buffer.Length > maxBuffered)
            {
                break;
            }

            _input.AdvanceTo(current.Buffer.Start, current.Buffer.End);
            var read = _input.ReadAsync().AsTask();
            if (await Task.WhenAny(slot, read).ConfigureAwait(false) == slot)
            {
                _input.CancelPendingRead();
                current = await read.ConfigureAwait(false);
                break;
            }

            current = await read.ConfigureAwait(false);
        }

        await slot.ConfigureAwait(false);
        _slotHeld = true;
        return current;
    }

    private void ApplyQueuedCancelNotices(ReadOnlySequence<byte> buffer)
    {
        var first = true;
        while (Frames.TryPeekLength(buffer, out var length) && length <= (uint)Options.MaxFrameSize && buffer.Length >= Frames.HeaderSize + length)
        {
            var frame = buffer.Slice(Frames.HeaderSize, length);
            if (!first && RpcRequestParser.TryParse(frame, Options.ReaderOptions, allowCancel: true, out var request) is null && request.Kind == RequestKind.Cancel)
            {
                CancelCall(request.Id);
            }

            first = false;
            buffer = buffer.Slice(frame.End);
        }
    }

    /// <summary>
    /// Reads with the right deadline: the rest of <see cref="AgentHostOptions.FrameReadTimeout"/> while a frame is
    /// partly received (counted from its first byte, so trickling bytes cannot extend it), the idle timeout between
    /// frames, none while calls are running. Returns <c>null</c> when the connection timed out.
    /// </summary>
    private async ValueTask<ReadResult?> ReadAsync()
    {
        var waitingForFrame = _frameStartedAt != 0;
        TimeSpan? timeout = waitingForFrame
            ? Options.FrameReadTimeout - Stopwatch.GetElapsedTime(_frameStartedAt)
            : InFlight > 0 ? null : Options.IdleTimeout;
        if (timeout is { } limit)
        {
            _readTimeout.CancelAfter(limit > TimeSpan.Zero ? limit : TimeSpan.FromMilliseconds(1));
        }

        try
        {
            return await _input.ReadAsync(_readTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_readTimeout.IsCancellationRequested)
        {
            if (waitingForFrame)
            {
                var message = $"incomplete frame: not completed within {Options.FrameReadTimeout.TotalSeconds:0.###} s";
                HostLog.ConnectionRejected(_host.Logger, _transport.RemoteEndPoint, message);
                await RejectAndCloseAsync(message).ConfigureAwait(false);
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

    /// <summary>
    /// Handles one complete frame. Returns false, without consuming it, when a multiplexed request must wait for a
    /// free call slot; cancel notices never wait, so a saturated connection can still be told to cancel.
    /// </summary>
    private bool HandleFrame(ReadOnlySequence<byte> frame, out (RpcInvocation Invocation, ValueTask Pending)? singleRequest)
    {
        singleRequest = null;
        var error = RpcRequestParser.TryParse(frame, Options.ReaderOptions, allowCancel: _multiplexed, out var request);
        if (error is null && request.Kind == RequestKind.Cancel)
        {
            CancelCall(request.Id);
            return true;
        }

        if (_multiplexed && !TakeSlot())
        {
            return false;
        }

        if (error is not null)
        {
            HostLog.BadRequest(_host.Logger, _transport.RemoteEndPoint, error);
            var failed = StartInvocation("(bad request)", default, default);
            failed.CompleteWithError(RpcErrorCodes.BadRequest, error);
            Respond(failed, default, ref singleRequest);
            return true;
        }

        Span<byte> scratch = stackalloc byte[128];
        var endpoint = request.EndpointIsString ? Contiguous(request.Endpoint, scratch) : [];
        var target = CallExecutor.Resolve(_host.Dispatcher, _host.Builtins, endpoint);
        if (!_multiplexed && target.Builtin?.Name == RpcProtocol.HelloEndpoint && Options.EnableMultiplexing)
        {
            if (!_secure && Options.SecureLinks != SecureLinkPolicy.Optional)
            {
                var refused = StartInvocation(RpcProtocol.HelloEndpoint, request.Id, default);
                refused.CompleteWithError(RpcErrorCodes.BadRequest, "secure link required: Synapse clients must connect over Noise");
                Respond(refused, default, ref singleRequest);
                return true;
            }

            SwitchToMultiplexed(request);
            return true;
        }

        var invocation = StartInvocation(target.Name, request.Id, request);
        if (!CallerAllowed(target))
        {
            invocation.CompleteWithError(RpcErrorCodes.Forbidden, $"{_transport.PeerId ?? "an anonymous caller"} may not call {target.Name}");
            invocation.ReleaseArguments();
            Respond(invocation, default, ref singleRequest);
            return true;
        }

        var pending = request.EndpointIsString
            ? CallExecutor.ExecuteAsync(_host.Dispatcher, invocation, target, endpoint, _host.Logger)
            : Unregistered(invocation, request.EndpointDisplay);
        invocation.ReleaseArguments();
        Respond(invocation, pending, ref singleRequest);
        return true;
    }

    private bool CallerAllowed(CallTarget target)
    {
        if (Options.AllowedCallers.Count == 0 || !Options.AllowedCallers.TryGetValue(target.Name, out var allowed))
        {
            return true;
        }

        return _transport.PeerId is { } peer && AgentId.TryParse(peer, out var id, out _) && allowed.Contains(id);
    }

    private static ValueTask Unregistered(RpcInvocation invocation, string? endpoint)
    {
        invocation.CompleteWithError(RpcErrorCodes.BadRequest, $"Unregistered endpoint called: {endpoint}");
        return default;
    }

    /// <summary>Sends the response now or when the call completes (multiplexed), or hands it to the single-request path.</summary>
    private void Respond(RpcInvocation invocation, ValueTask pending, ref (RpcInvocation, ValueTask)? singleRequest)
    {
        if (!_multiplexed)
        {
            singleRequest = (invocation, pending);
        }
        else if (pending.IsCompletedSuccessfully)
        {
            Send(invocation);
        }
        else
        {
            TrackRunning(invocation);
            _ = SendWhenDoneAsync(invocation, pending);
        }
    }

    private void SwitchToMultiplexed(ParsedRequest hello)
    {
        _peerMaxFrameSize = Math.Min(Options.MaxFrameSize, HelloMaxFrameSize(hello));
        _multiplexed = true;
        _outbox = new FrameOutbox(_transport.Pipe.Output, Options.WriteTimeout, Abort);
        var invocation = StartInvocation(RpcProtocol.HelloEndpoint, hello.Id, default);
        var writer = invocation.BeginResult();
        BuiltinEndpoints.HelloResult(Options, _host.NodeId).WriteTo(ref writer);
        invocation.EndResult(ref writer);
        _slots.Wait(0);
        Send(invocation);
    }

    /// <summary>The <c>max_frame_size</c> the client announced in its hello (responses above it would be refused).</summary>
    private int HelloMaxFrameSize(ParsedRequest hello)
    {
        try
        {
            var reader = new MsgPackReader(hello.Arguments, Options.ReaderOptions);
            if (!reader.End && reader.ReadArrayHeader() > 0 && MsgPackValue.ReadFrom(ref reader)["max_frame_size"] is { Type: MsgPackType.Integer } size)
            {
                return (int)Math.Clamp(size.AsInt64(), 64, int.MaxValue);
            }
        }
        catch (Exception e) when (e is MsgPackException or InvalidOperationException or OverflowException)
        {
        }

        return Options.MaxFrameSize;
    }

    private RpcInvocation StartInvocation(string endpoint, ReadOnlySequence<byte> id, ParsedRequest request)
    {
        var invocation = _host.RentInvocation();
        invocation.Owner = this;
        invocation.StartTimestamp = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _inFlight);
        invocation.Start(endpoint, id, request.Arguments, request.KeywordArguments, _transport.RemoteEndPoint, _transport.PeerId, _peerMaxFrameSize);
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
        Send(invocation);
    }

    private async Task CompleteSingleRequestAsync(RpcInvocation invocation, ValueTask pending)
    {
        if (!pending.IsCompleted)
        {
            TrackRunning(invocation);
            using var watch = new CancellationTokenSource();
            var closed = CancelWhenCallerLeavesAsync(invocation, watch.Token);
            try
            {
                await pending.AsTask().WaitAsync(_aborted.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_aborted.IsCancellationRequested)
            {
                // Aborted while the handler ignores cancellation: leave the invocation to it rather than recycle it.
                await watch.CancelAsync().ConfigureAwait(false);
                return;
            }

            await watch.CancelAsync().ConfigureAwait(false);
            await closed.ConfigureAwait(false);
        }

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_aborted.Token);
            deadline.CancelAfter(Options.WriteTimeout);
            await _transport.Pipe.Output.WriteAsync(invocation.ResponseFrame, deadline.Token).ConfigureAwait(false);
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
                if (result.IsCompleted)
                {
                    CancelCall(invocation);
                    return;
                }

                if (result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            CancelCall(invocation);
        }
    }

    /// <summary>Recycles a call whose response was written (or could not be): the last use of the invocation.</summary>
    private void Finish(RpcInvocation invocation)
    {
        if (invocation.Tracked)
        {
            lock (_gate)
            {
                // Removed under the lock cancellers hold, so nothing can cancel the object once it is back in the pool.
                if (_running.TryGetValue(invocation.RequestId, out var running) && ReferenceEquals(running, invocation))
                {
                    _running.Remove(invocation.RequestId);
                }
            }
        }

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

    /// <summary>Takes the slot a multiplexed request needs, or the one already awaited for it.</summary>
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
            invocation.Tracked = true;
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

        lock (_gate)
        {
            if (_running.TryGetValue(id, out var invocation))
            {
                invocation.Cancel();
            }
        }
    }

    private void CancelCall(RpcInvocation invocation)
    {
        lock (_gate)
        {
            if (_running.TryGetValue(invocation.RequestId, out var running) && ReferenceEquals(running, invocation))
            {
                invocation.Cancel();
            }
        }
    }

    private void CancelRunningCalls()
    {
        lock (_gate)
        {
            foreach (var invocation in _running.Values)
            {
                invocation.Cancel();
            }
        }
    }

    private async Task WaitForCallsAsync()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _drained, drained);
        if (InFlight == 0)
        {
            return;
        }

        try
        {
            await drained.Task.WaitAsync(_aborted.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
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
            using var deadline = new CancellationTokenSource(Options.WriteTimeout);
            await _transport.Pipe.Output.WriteAsync(frame, deadline.Token).ConfigureAwait(false);
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

    private sealed class StaticFrame(byte[] frame) : IOutboundFrame
    {
        public ReadOnlyMemory<byte> Frame => frame;

        public void OnWritten()
        {
        }
    }
}
