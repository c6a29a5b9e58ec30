using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Synapse.Rpc;
using Synapse.Transport;
using Synapse.Transport.Framing;
using Synapse.Transport.Secure;

namespace Synapse.Hosting;

/// <summary>
/// Serves one connection: establishes it (<see cref="ConnectionEstablishment"/>), reads frames within their deadlines
/// (<see cref="FrameDeadlines"/>) and hands each request to the executor. A finished secure handshake or, on
/// plaintext, a complete first frame moves the connection from the host's pending connections to a slot of
/// <see cref="AgentHostOptions.MaxConnections"/> (<see cref="ConnectionAdmission{T}"/>). The first frame decides the mode:
/// <c>_synapse.hello</c> from a Synapse client switches to a persistent connection with many calls in flight, matched
/// by id (<see cref="MultiplexedSession"/>); anything else is served as synapse-p2p does (<see cref="SingleRequestCall"/>).
/// </summary>
internal sealed class ServerConnection : IInvocationOwner
{
    private readonly AgentHost _host;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _aborted = new();
    private readonly RunningCalls _calls = new();
    private readonly FrameDeadlines _deadlines;
    private ConnectionLink _link;
    private MultiplexedSession? _multiplexed;
    private volatile bool _shuttingDown;
    private bool _proved;
    private long _partialFrameBytes;

    public ServerConnection(AgentHost host, ITransportConnection transport)
    {
        _host = host;
        _link = new ConnectionLink(transport, secure: false);
        _deadlines = new FrameDeadlines(host.Options.FrameReadTimeout, host.Options.IdleTimeout);
    }

    /// <summary>Completes when the connection is closed and all its calls have ended.</summary>
    public Task Completion => _completion.Task;

    public int InFlight => _calls.Count;

    public System.Net.EndPoint? RemoteEndPoint => _link.Transport.RemoteEndPoint;

    private AgentHostOptions Options => _host.Options;

    private PipeReader Input => _link.Input;

    /// <summary>Stops reading requests; calls in flight still complete and their responses are sent.</summary>
    public void BeginShutdown()
    {
        _shuttingDown = true;
        Input.CancelPendingRead();
    }

    /// <summary>Cancels every call, stops waiting for them, and closes the transport.</summary>
    public void Abort()
    {
        _shuttingDown = true;
        _calls.CancelAll();
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _link.Transport.Abort();
    }

    public async Task RunAsync()
    {
        try
        {
            if (await ConnectionEstablishment.EstablishAsync(_host, _link, _aborted.Token).ConfigureAwait(false) is { } link)
            {
                _link = link;
                if (link.Secure && !TryProve())
                {
                    await RefuseBusyAsync().ConfigureAwait(false);
                    return;
                }

                await ReadLoopAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (LinkLoss.Is(e) || (e is OperationCanceledException && _aborted.IsCancellationRequested))
        {
        }
        catch (Exception e)
        {
            HostLog.ConnectionFailed(_host.Logger, e, _link.Transport.RemoteEndPoint);
        }
        finally
        {
            if (!_shuttingDown)
            {
                _calls.CancelAll(); // the caller is gone: nobody will read these results
            }

            await _calls.WaitUntilNoneAsync(_aborted.Token).ConfigureAwait(false);
            if (_multiplexed is { } session)
            {
                session.Outbox.Complete();
                await session.Outbox.Completion.ConfigureAwait(false);
            }

            await _link.Transport.DisposeAsync().ConfigureAwait(false);
            _deadlines.Dispose();
            _host.PartialFrames.Release(ref _partialFrameBytes);
            _completion.TrySetResult();
        }
    }

    void IInvocationOwner.OnResponseWritten(RpcInvocation invocation) => Finish(invocation);

    /// <summary>Takes a slot of <see cref="AgentHostOptions.MaxConnections"/> once the connection proved itself; false when none is free.</summary>
    private bool TryProve()
    {
        if (_proved)
        {
            return true;
        }

        return _proved = _host.Admission.TryProve(this);
    }

    /// <summary>Says "server busy" and closes, unless the connection was shed meanwhile (it is closing already).</summary>
    private Task RefuseBusyAsync() => _aborted.IsCancellationRequested ? Task.CompletedTask : _host.RefuseBusyAsync(_link);

    private async Task ReadLoopAsync()
    {
        ReadResult? resume = null;
        while (true)
        {
            ReadResult result;
            if (resume is { } resumed)
            {
                // What WaitForSlotAsync left unconsumed (and not yet advanced past): process it without a new read.
                result = resumed;
                resume = null;
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
                Input.AdvanceTo(buffer.Start, buffer.End);
                return;
            }

            var waitForSlot = false;
            while (Frames.TryPeekLength(buffer, out var length))
            {
                if (length > (uint)Options.MaxFrameSize)
                {
                    Input.AdvanceTo(buffer.Start, buffer.End);
                    await RejectAndCloseAsync($"frame too large: {length} > {Options.MaxFrameSize}").ConfigureAwait(false);
                    return;
                }

                if (buffer.Length < Frames.HeaderSize + length)
                {
                    break;
                }

                if (!_proved && !TryProve())
                {
                    Input.AdvanceTo(buffer.Start, buffer.End);
                    await RefuseBusyAsync().ConfigureAwait(false);
                    return;
                }

                var frame = buffer.Slice(Frames.HeaderSize, length);
                if (!HandleFrame(frame, out var singleRequest))
                {
                    waitForSlot = true;
                    break;
                }

                buffer = buffer.Slice(frame.End);
                _deadlines.FrameCompleted();
                if (singleRequest is { } call)
                {
                    Input.AdvanceTo(buffer.End); // synapse-p2p ignores anything after the first request
                    await SingleRequestCall.CompleteAsync(_link, call.Invocation, call.Pending, _calls, Options.WriteTimeout, this, _aborted.Token).ConfigureAwait(false);
                    return;
                }
            }

            if (waitForSlot)
            {
                resume = await _multiplexed!.WaitForSlotAsync(Input, buffer, result.IsCompleted, _aborted.Token).ConfigureAwait(false);
                continue;
            }

            var partialFrame = buffer.Length;
            Input.AdvanceTo(buffer.Start, buffer.End);
            _deadlines.Buffered(partialFrame: partialFrame > 0);
            if (!_host.PartialFrames.TryHold(ref _partialFrameBytes, partialFrame))
            {
                await RefusePartialFrameAsync(partialFrame).ConfigureAwait(false);
                return;
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

    /// <summary>Reads within the deadline <see cref="FrameDeadlines"/> gives. Returns <c>null</c> when the connection timed out.</summary>
    private async ValueTask<ReadResult?> ReadAsync()
    {
        if (await _deadlines.ReadAsync(Input, callsRunning: InFlight > 0).ConfigureAwait(false) is { } read)
        {
            return read;
        }

        if (_deadlines.InPartialFrame)
        {
            var message = $"incomplete frame: not completed within {Options.FrameReadTimeout.TotalSeconds:0.###} s";
            HostLog.ConnectionRejected(_host.Logger, _link.Transport.RemoteEndPoint, message);
            await RejectAndCloseAsync(message).ConfigureAwait(false);
        }
        else
        {
            HostLog.IdleTimeout(_host.Logger, _link.Transport.RemoteEndPoint, Options.IdleTimeout);
        }

        return null;
    }

    /// <summary>
    /// Handles one complete frame. Returns false, without consuming it, when a multiplexed request must wait for a
    /// free call slot; cancel notices never wait, so a saturated connection can still be told to cancel.
    /// </summary>
    private bool HandleFrame(ReadOnlySequence<byte> frame, out (RpcInvocation Invocation, ValueTask Pending)? singleRequest)
    {
        singleRequest = null;
        var session = _multiplexed;
        var error = RpcRequestParser.TryParse(frame, Options.ReaderOptions, allowCancel: session is not null, out var request);
        if (error is null && session is not null && session.TryApplyNotice(request))
        {
            return true;
        }

        if (session is not null && !session.Slots.TryTake())
        {
            return false;
        }

        if (error is not null)
        {
            HostLog.BadRequest(_host.Logger, _link.Transport.RemoteEndPoint, error);
            var failed = StartInvocation("(bad request)", default, default);
            failed.CompleteWithError(RpcErrorCodes.BadRequest, error);
            Respond(failed, default, ref singleRequest);
            return true;
        }

        Span<byte> scratch = stackalloc byte[128];
        var endpoint = request.EndpointIsString ? Contiguous(request.Endpoint, scratch) : [];
        var target = CallExecutor.Resolve(_host.Dispatcher, _host.Builtins, endpoint);
        if (session is null && target.Builtin?.Name == RpcProtocol.HelloEndpoint && Options.EnableMultiplexing)
        {
            if (!_link.Secure && Options.SecureLinks != SecureLinkPolicy.Optional)
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
        var ambient = Activity.Current;
        invocation.Activity = RpcTracing.StartServer(_host.Descriptor.Name, target.Name, request.TraceParent, request.TraceState, _link.Transport.RemoteEndPoint);
        try
        {
            if (!CallerAllowList.Allows(Options.AllowedCallers, target.Name, _link.Transport.PeerId))
            {
                invocation.CompleteWithError(RpcErrorCodes.Forbidden, CallerAllowList.Refusal(target.Name, _link.Transport.PeerId));
                invocation.ReleaseArguments();
                Respond(invocation, default, ref singleRequest);
                return true;
            }

            // The handler starts under the call's span, so calls it makes are its children.
            var pending = request.EndpointIsString
                ? CallExecutor.ExecuteAsync(_host.Dispatcher, invocation, target, endpoint, _host.Logger)
                : Unregistered(invocation, request.EndpointDisplay);
            invocation.ReleaseArguments();
            Respond(invocation, pending, ref singleRequest);
            return true;
        }
        finally
        {
            Activity.Current = ambient; // the read loop goes on outside the call's span
        }
    }

    private static ValueTask Unregistered(RpcInvocation invocation, string? endpoint)
    {
        invocation.CompleteWithError(RpcErrorCodes.BadRequest, $"Unregistered endpoint called: {endpoint}");
        return default;
    }

    /// <summary>Sends the response now or when the call completes (multiplexed), or hands it to the single-request path.</summary>
    private void Respond(RpcInvocation invocation, ValueTask pending, ref (RpcInvocation, ValueTask)? singleRequest)
    {
        if (_multiplexed is { } session)
        {
            session.Respond(invocation, pending);
        }
        else
        {
            singleRequest = (invocation, pending);
        }
    }

    private void SwitchToMultiplexed(ParsedRequest hello)
    {
        var session = new MultiplexedSession(Options, hello.Arguments, _link.Transport.Pipe.Output, _calls, this, Abort);
        _multiplexed = session;
        var invocation = StartInvocation(RpcProtocol.HelloEndpoint, hello.Id, default);
        var writer = invocation.BeginResult();
        BuiltinEndpoints.HelloResult(Options, _host.NodeId).WriteTo(ref writer);
        invocation.EndResult(ref writer);
        session.Slots.TryTake();
        session.Send(invocation);
    }

    private RpcInvocation StartInvocation(string endpoint, ReadOnlySequence<byte> id, ParsedRequest request)
    {
        var invocation = _host.RentInvocation();
        invocation.Owner = this;
        invocation.StartTimestamp = Stopwatch.GetTimestamp();
        _calls.Started();
        var transport = _link.Transport;
        invocation.Start(endpoint, id, request.Arguments, request.KeywordArguments, transport.RemoteEndPoint, transport.PeerId, _multiplexed?.PeerMaxFrameSize ?? Options.MaxFrameSize);
        invocation.StreamSink = _multiplexed;
        return invocation;
    }

    /// <summary>Recycles a call whose response was written (or could not be): the last use of the invocation.</summary>
    private void Finish(RpcInvocation invocation)
    {
        _calls.Untrack(invocation);
        RpcTracing.Stop(invocation.Activity, invocation.ErrorCode);
        _host.Metrics.CallCompleted(invocation.Endpoint, invocation.StartTimestamp, invocation.ErrorCode);
        _host.ReturnInvocation(invocation);
        _multiplexed?.Slots.Release();
        _calls.Ended();
    }

    /// <summary>The host-wide budget for partial frames is spent: says "server busy" and closes (the caller may send again later).</summary>
    private Task RefusePartialFrameAsync(long partialFrame)
    {
        var message = $"{RpcProtocol.ServerBusyPrefix} the host holds as many incomplete frames as it may ({Options.MaxPartialFrameBytes} bytes); send again later";
        HostLog.PartialFramesFull(_host.Logger, _link.Transport.RemoteEndPoint, partialFrame, _host.PartialFrames.Held, Options.MaxPartialFrameBytes);
        _host.Metrics.ConnectionRejected();
        return RejectAndCloseAsync(message);
    }

    private Task RejectAndCloseAsync(string message) =>
        LingeringClose.RejectAsync(_link, _multiplexed?.Outbox, Options.WriteTimeout, _host.Logger, message);

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
}
