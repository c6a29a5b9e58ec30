using System.Net;
using Microsoft.Extensions.Logging;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Transport;
using Synapse.Transport.Framing;

namespace Synapse.Client;

/// <summary>
/// A persistent connection to a Synapse host carrying many calls at once: requests go out through one writer loop,
/// responses are matched to their calls by id in whatever order they arrive.
/// </summary>
internal sealed class MultiplexedConnection : IAsyncDisposable
{
    private readonly ITransportConnection _transport;
    private readonly SynapseClientOptions _options;
    private readonly FrameOutbox _outbox;
    private readonly Dictionary<long, PendingCall> _pending = [];
    private readonly Lock _gate = new();
    private readonly Task _readLoop;
    private readonly EndPoint _peer;
    private readonly ILogger _logger;
    private Exception? _closedReason;

    public MultiplexedConnection(ITransportConnection transport, SynapseClientOptions options, HostTerms terms, EndPoint peer, ILogger logger)
    {
        _transport = transport;
        _options = options;
        _peer = peer;
        _logger = logger;
        PeerMaxFrameSize = terms.MaxFrameSize;
        PeerReadsTraceContext = terms.ReadsTraceContext;
        PeerStreams = terms.Streams;
        _outbox = new FrameOutbox(transport.Pipe.Output, options.WriteTimeout, transport.Abort);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public bool IsOpen => Volatile.Read(ref _closedReason) is null;

    /// <summary>The peer's proven agent id on a secure link, else <c>null</c>.</summary>
    public Identity.AgentId? PeerId => _transport.PeerId is { } id ? Identity.AgentId.Parse(id) : null;

    /// <summary>The largest request the host accepts, from its hello answer.</summary>
    public int PeerMaxFrameSize { get; }

    /// <summary>Whether the host said (in its hello answer) that it reads W3C trace context in requests.</summary>
    public bool PeerReadsTraceContext { get; }

    /// <summary>Whether the host said (in its hello answer) that it streams the results of streaming endpoints.</summary>
    public bool PeerStreams { get; }

    /// <summary>
    /// Registers call <paramref name="id"/> and sends its request; its response (and a stream's items, or progress
    /// reports) reach <paramref name="call"/>.
    /// </summary>
    public void Send(long id, PendingCall call, RequestFrame request)
    {
        lock (_gate)
        {
            if (_closedReason is { } reason)
            {
                request.Dispose();
                throw reason;
            }

            _pending.Add(id, call);
        }

        if (!_outbox.TryEnqueue(request))
        {
            request.Dispose();
            Forget(id);
            throw ConnectionLost("the connection is closed");
        }
    }

    /// <summary>Lets stream <paramref name="id"/> send <paramref name="credits"/> more items.</summary>
    public void Grant(long id, int credits) => Notify(RequestFrame.EncodeCredit(id.ToString(System.Globalization.CultureInfo.InvariantCulture), credits));

    /// <summary>Gives up on stream <paramref name="id"/> before its end: the host is told to cancel it, and what it still sends is dropped.</summary>
    public void Abandon(long id)
    {
        if (Forget(id))
        {
            Notify(RequestFrame.EncodeCancel(id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>Sends <paramref name="request"/> and waits for the response of call <paramref name="id"/>.</summary>
    public async Task<TResult> CallAsync<TResult>(long id, PendingCall<TResult> call, RequestFrame request, CancellationToken cancellationToken)
    {
        Send(id, call, request);
        using var registration = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var (connection, callId, pending) = ((MultiplexedConnection, long, PendingCall<TResult>))state!;
                connection.CancelCall(callId, pending, token);
            },
            (this, id, call));
        return await call.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Close(ConnectionLost("the client was disposed"));
        _outbox.Complete();
        await _outbox.Completion.ConfigureAwait(false); // bounded by the write timeout
        _transport.Abort();
        await _readLoop.ConfigureAwait(false); // never faults: the loop catches everything
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    private void CancelCall<TResult>(long id, PendingCall<TResult> call, CancellationToken token)
    {
        Abandon(id);
        call.Cancel(token);
    }

    private void Notify(RequestFrame notice)
    {
        if (!_outbox.TryEnqueue(notice))
        {
            notice.Dispose();
        }
    }

    private bool Forget(long id)
    {
        lock (_gate)
        {
            return _pending.Remove(id);
        }
    }

    private async Task ReadLoopAsync()
    {
        var input = _transport.Pipe.Input;
        Exception reason = ConnectionLost("the connection was closed by the peer");
        Exception? cause = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (Frames.TryTakeFrame(ref buffer, _options.MaxFrameSize, out var frame))
                {
                    Deliver(frame);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (RpcException e)
        {
            reason = e;
        }
        catch (Exception e)
        {
            reason = ConnectionLost(e.Message);
            cause = e;
        }
        finally
        {
            if (Close(reason))
            {
                ClientLog.ConnectionLost(_logger, cause ?? reason, _peer);
            }

            _outbox.Complete();
        }
    }

    private void Deliver(System.Buffers.ReadOnlySequence<byte> frame)
    {
        var error = RpcResponseParser.TryParse(frame, _options.ReaderOptions, out var response, allowItems: true);
        var id = RpcResponseParser.ParseNumericId(response.Id);
        PendingCall? call;
        lock (_gate)
        {
            if (id < 0 || !(error is null && response.IsItem ? _pending.TryGetValue(id, out call) : _pending.Remove(id, out call)))
            {
                return; // a late answer to a cancelled or timed-out call
            }
        }

        if (error is null && response.IsProgress)
        {
            call.Progress(response.Result, _options.ReaderOptions);
            return;
        }

        if (error is null && response.IsItem)
        {
            if (call is not IStreamItems items)
            {
                Forget(id);
                call.Fail(new RpcException(RpcErrorCodes.ProtocolError, $"'{call.Endpoint}' answered with a stream item, but it was called for one result") { Endpoint = call.Endpoint });
            }
            else if (!items.TryAdd(response.Result, _options.ReaderOptions))
            {
                Abandon(id);
            }

            return;
        }

        if (error is not null)
        {
            call.Fail(new RpcException(RpcErrorCodes.ProtocolError, error) { Endpoint = call.Endpoint });
        }
        else
        {
            call.Complete(response, _options.ReaderOptions);
        }
    }

    /// <summary>Fails every waiting call; true when this closed the connection (false when it was closed before, e.g. disposed).</summary>
    private bool Close(Exception reason)
    {
        PendingCall[] orphans;
        bool first;
        lock (_gate)
        {
            first = _closedReason is null;
            _closedReason ??= reason;
            orphans = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var call in orphans)
        {
            call.Fail(reason);
        }

        return first;
    }

    private static RpcException ConnectionLost(string why) => new(RpcErrorCodes.ConnectionFailed, $"connection lost: {why}");
}
