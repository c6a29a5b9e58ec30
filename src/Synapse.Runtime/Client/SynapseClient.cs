using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Crypto.Noise;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Client;

/// <summary>
/// Calls endpoints of one Synapse or synapse-p2p node. With a Synapse host it keeps one persistent connection and
/// multiplexes calls over it; with a synapse-p2p (Python) node, which serves one request per connection, it opens a
/// connection per call. The peer's kind is learned once with <c>_synapse.hello</c>, which a Python node answers with
/// a harmless error. Thread-safe; create one per peer and reuse it.
/// </summary>
public sealed partial class SynapseClient : IAsyncDisposable
{
    private static readonly RpcArgumentsWriter<Untyped> WriteUntypedArguments = static (ref MsgPackWriter writer, in Untyped call) =>
    {
        var args = call.Arguments ?? [];
        writer.WriteArrayHeader(args.Count);
        foreach (var value in args)
        {
            value.WriteTo(ref writer);
        }
    };

    private static readonly RpcArgumentsWriter<Untyped> WriteUntypedKeywords = static (ref MsgPackWriter writer, in Untyped call) =>
    {
        var kwargs = call.Keywords;
        writer.WriteMapHeader(kwargs?.Count ?? 0);
        if (kwargs is null)
        {
            return;
        }

        foreach (var (key, value) in kwargs)
        {
            writer.WriteString(key);
            value.WriteTo(ref writer);
        }
    };

    private static readonly RpcResultReader<MsgPackValue> ReadValue = static (ref MsgPackReader reader) => MsgPackValue.ReadFrom(ref reader);

    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly ILogger _logger;
    private readonly RpcCallInstruments _metrics;
    private MultiplexedConnection? _connection;
    private readonly NoiseStaticCredential? _credential;
    private readonly bool _ownsCredential;
    private NoiseStaticCredential? _perCallCredential;
    private ConnectionMode? _negotiated;
    private long _nextId;
    private bool _disposed;

    /// <summary>Creates a client for the node at <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <param name="host">The node's host name or IP address.</param>
    /// <param name="port">The node's port.</param>
    /// <param name="options">Client settings; defaults apply when <c>null</c>.</param>
    /// <param name="loggerFactory">Where negotiations, lost connections and timeouts are logged (category <c>Synapse.Client.SynapseClient</c>); nowhere when <c>null</c>.</param>
    /// <param name="meterFactory">Creates the <c>Synapse.Client</c> meter; one meter shared by the process's clients when <c>null</c>.</param>
    public SynapseClient(string host, int port, SynapseClientOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
        : this(IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port), options, loggerFactory, meterFactory)
    {
    }

    /// <summary>Creates a client for the node at <paramref name="endPoint"/>.</summary>
    /// <param name="endPoint">The node's address.</param>
    /// <param name="options">Client settings; defaults apply when <c>null</c>.</param>
    /// <param name="loggerFactory">Where negotiations, lost connections and timeouts are logged (category <c>Synapse.Client.SynapseClient</c>); nowhere when <c>null</c>.</param>
    /// <param name="meterFactory">Creates the <c>Synapse.Client</c> meter; one meter shared by the process's clients when <c>null</c>.</param>
    public SynapseClient(EndPoint endPoint, SynapseClientOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        RemoteEndPoint = endPoint;
        _metrics = ClientMetrics.For(meterFactory);
        Options = options ?? new SynapseClientOptions();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(SynapseClient).FullName!);
        _negotiated = Options.Mode == ConnectionMode.PerCall ? ConnectionMode.PerCall : null;
        if (Options.Security != LinkSecurity.Disabled || Options.ExpectedPeer is not null)
        {
            _ownsCredential = Options.Identity is not null;
            _credential = Options.Identity is { } identity ? NoiseStaticCredential.Create(identity) : AnonymousCredential.Shared;
        }

        _perCallCredential = _credential;
    }

    /// <summary>The peer's proven agent id on a multiplexed secure link; <c>null</c> before it is open or on plaintext.</summary>
    public AgentId? PeerId => _connection?.PeerId;

    /// <summary>The node this client calls.</summary>
    public EndPoint RemoteEndPoint { get; }

    /// <summary>The settings in use.</summary>
    public SynapseClientOptions Options { get; }

    /// <summary>How calls travel once the peer is known: <see cref="ConnectionMode.Multiplexed"/> or <see cref="ConnectionMode.PerCall"/>; <c>null</c> before the first call.</summary>
    public ConnectionMode? NegotiatedMode => _negotiated;

    /// <summary>Calls <paramref name="endpoint"/> with dynamic arguments and returns the dynamic result.</summary>
    /// <param name="endpoint">The endpoint name.</param>
    /// <param name="args">Positional arguments.</param>
    /// <param name="kwargs">Keyword arguments, by parameter name.</param>
    /// <param name="timeout">The call's timeout; <see cref="SynapseClientOptions.CallTimeout"/> when <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the call; on a multiplexed link the host's handler is cancelled too.</param>
    /// <exception cref="RpcException">The call failed; <see cref="RpcException.Code"/> says how.</exception>
    public Task<MsgPackValue> CallAsync(
        string endpoint,
        IReadOnlyList<MsgPackValue>? args = null,
        IReadOnlyDictionary<string, MsgPackValue>? kwargs = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        CallCoreAsync(endpoint, new Untyped(args, kwargs), WriteUntypedArguments, WriteUntypedKeywords, new PendingCall<MsgPackValue>(endpoint, ReadValue), timeout, cancellationToken);

    /// <summary>Calls <paramref name="endpoint"/> with arguments written by <paramref name="writeArguments"/> and reads the result with <paramref name="readResult"/> (used by generated clients).</summary>
    /// <exception cref="RpcException">The call failed; <see cref="RpcException.Code"/> says how.</exception>
    public Task<TResult> CallAsync<TArgs, TResult>(
        string endpoint,
        TArgs arguments,
        RpcArgumentsWriter<TArgs> writeArguments,
        RpcResultReader<TResult> readResult,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        CallCoreAsync(endpoint, arguments, writeArguments, null, new PendingCall<TResult>(endpoint, readResult), timeout, cancellationToken);

    /// <summary>Calls <paramref name="endpoint"/> and ignores its result (used by generated clients for void endpoints).</summary>
    /// <exception cref="RpcException">The call failed; <see cref="RpcException.Code"/> says how.</exception>
    public Task CallAsync<TArgs>(
        string endpoint,
        TArgs arguments,
        RpcArgumentsWriter<TArgs> writeArguments,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        CallCoreAsync(endpoint, arguments, writeArguments, null, new PendingCall<object?>(endpoint, null), timeout, cancellationToken);

    /// <summary>
    /// Calls <paramref name="endpoint"/> like <see cref="CallAsync(string, IReadOnlyList{MsgPackValue}?, IReadOnlyDictionary{string, MsgPackValue}?, TimeSpan?, CancellationToken)"/>
    /// and hands each progress report the endpoint makes (through its <c>IProgress&lt;T&gt;</c>) to
    /// <paramref name="progress"/>, as a value, as it arrives.
    /// </summary>
    /// <exception cref="RpcException">The call failed; <see cref="RpcException.Code"/> says how.</exception>
    public Task<MsgPackValue> CallAsync(
        string endpoint,
        IReadOnlyList<MsgPackValue>? args,
        IReadOnlyDictionary<string, MsgPackValue>? kwargs,
        IProgress<MsgPackValue>? progress,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        CallCoreAsync(
            endpoint,
            new Untyped(args, kwargs),
            WriteUntypedArguments,
            WriteUntypedKeywords,
            progress is null ? new PendingCall<MsgPackValue>(endpoint, ReadValue) : new PendingCallWithProgress<MsgPackValue, MsgPackValue>(endpoint, ReadValue, progress, ReadValue),
            timeout,
            cancellationToken);

    /// <summary>
    /// Calls <paramref name="endpoint"/>, an endpoint that reports progress (it takes an <c>IProgress&lt;T&gt;</c>), and
    /// hands each report to <paramref name="progress"/> as it arrives (used by generated clients). Reports come on a
    /// multiplexed connection only; they are delivered from the connection's reader, so <paramref name="progress"/>
    /// should return quickly (<see cref="Progress{T}"/> posts to the thread pool). A node that serves one call per
    /// connection (synapse-p2p) sends none, and the call returns its result as usual.
    /// </summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="writeArguments">Writes the arguments.</param>
    /// <param name="readResult">Reads the result; null for an endpoint without one.</param>
    /// <param name="progress">Takes the reports.</param>
    /// <param name="readProgress">Reads one report.</param>
    /// <param name="timeout">The call's timeout; <see cref="SynapseClientOptions.CallTimeout"/> when <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="RpcException">The call failed; <see cref="RpcException.Code"/> says how.</exception>
    public Task<TResult> CallWithProgressAsync<TArgs, TResult, TProgress>(
        string endpoint,
        TArgs arguments,
        RpcArgumentsWriter<TArgs> writeArguments,
        RpcResultReader<TResult>? readResult,
        IProgress<TProgress>? progress,
        RpcResultReader<TProgress> readProgress,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        CallCoreAsync(
            endpoint,
            arguments,
            writeArguments,
            null,
            progress is null ? new PendingCall<TResult>(endpoint, readResult) : new PendingCallWithProgress<TResult, TProgress>(endpoint, readResult, progress, readProgress),
            timeout,
            cancellationToken);

    /// <summary>Calls <c>_synapse.ping</c>; returns <c>"pong"</c>.</summary>
    public async Task<string> PingAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(RpcProtocol.PingEndpoint, cancellationToken: cancellationToken).ConfigureAwait(false)).AsString();

    /// <summary>Closes the connection; calls still waiting fail with <see cref="RpcErrorCodes.ConnectionFailed"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_connection is { } connection)
            {
                _connection = null;
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connectLock.Release();
            if (_ownsCredential)
            {
                _credential?.Dispose();
            }
        }
    }

    private async Task<TResult> CallCoreAsync<TArgs, TResult>(
        string endpoint,
        TArgs arguments,
        RpcArgumentsWriter<TArgs>? writeArguments,
        RpcArgumentsWriter<TArgs>? writeKeywords,
        PendingCall<TResult> call,
        TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var limit = timeout ?? Options.CallTimeout;
        var id = Interlocked.Increment(ref _nextId);
        var idText = id.ToString(CultureInfo.InvariantCulture);
        var request = RequestFrame.Encode(endpoint, idText, arguments, writeArguments, writeKeywords);
        var handedOff = false;
        var started = Stopwatch.GetTimestamp();
        string? failure = FailedOtherwise;
        string? failureMessage = null;
        var activity = RpcTracing.StartClient(endpoint, RemoteEndPoint);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            CheckSize(request, Options.MaxFrameSize, endpoint);
            var connection = await GetConnectionAsync(deadline.Token).ConfigureAwait(false);
            TResult result;
            if (connection is not null)
            {
                if (activity is { IdFormat: ActivityIdFormat.W3C } && connection.PeerReadsTraceContext)
                {
                    // The host reads trace context: the request carries this call's span, so the host's span is its child.
                    var traced = RequestFrame.Encode(endpoint, idText, arguments, writeArguments, writeKeywords, activity.Id, activity.TraceStateString);
                    request.Dispose();
                    request = traced;
                }

                CheckSize(request, connection.PeerMaxFrameSize, endpoint);
                handedOff = true; // the connection owns the request buffer from here on
                result = await connection.CallAsync(id, call, request, deadline.Token).ConfigureAwait(false);
            }
            else
            {
                handedOff = true;
                var credential = _perCallCredential;
                var mayFallBack = credential is not null && Options.Security == LinkSecurity.Auto && Options.ExpectedPeer is null;
                result = await PerCallConnection.CallAsync(RemoteEndPoint, Options, credential, mayFallBack ? FallBackToPlaintext : null, call, request, deadline.Token).ConfigureAwait(false);
            }

            failure = null;
            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            ClientLog.CallTimedOut(_logger, endpoint, RemoteEndPoint, limit);
            var timedOut = new RpcTimeoutException(endpoint, limit);
            (failure, failureMessage) = (timedOut.Code, timedOut.Message);
            throw timedOut;
        }
        catch (RpcException e)
        {
            (failure, failureMessage) = (e.Code, e.Message);
            throw;
        }
        catch (OperationCanceledException)
        {
            failure = RpcErrorCodes.Cancelled;
            throw;
        }
        finally
        {
            if (!handedOff)
            {
                request.Dispose();
            }

            _metrics.CallCompleted(endpoint, started, failure);
            RpcTracing.Stop(activity, failure, failureMessage);
        }
    }

    /// <summary>The error tag of a call that failed with an exception other than an <see cref="RpcException"/>.</summary>
    private const string FailedOtherwise = "exception";

    /// <summary>A per-call peer answered the handshake in plaintext: later calls to it go in plaintext.</summary>
    private void FallBackToPlaintext()
    {
        _perCallCredential = null;
        ClientLog.PlaintextFallback(_logger, RemoteEndPoint);
    }

    private static void CheckSize(RequestFrame request, int limit, string endpoint)
    {
        if (request.PayloadLength > limit)
        {
            throw new RpcException(RpcErrorCodes.BadRequest, $"request too large: {request.PayloadLength} > {limit}") { Endpoint = endpoint };
        }
    }

    /// <summary>Returns the multiplexed connection, negotiating it if needed; <c>null</c> when calls go one per connection.</summary>
    private async ValueTask<MultiplexedConnection?> GetConnectionAsync(CancellationToken cancellationToken)
    {
        if (_negotiated == ConnectionMode.PerCall)
        {
            return null;
        }

        var current = _connection;
        if (current is { IsOpen: true })
        {
            return current;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_negotiated == ConnectionMode.PerCall)
            {
                return null; // another call learned it while this one waited
            }

            if (_connection is { IsOpen: true })
            {
                return _connection;
            }

            if (_connection is { } stale)
            {
                _connection = null;
                await stale.DisposeAsync().ConfigureAwait(false);
                ClientLog.Reconnecting(_logger, RemoteEndPoint);
            }

            (_connection, var secure) = await Negotiation.ConnectAsync(RemoteEndPoint, Options, _credential, _logger, cancellationToken).ConfigureAwait(false);
            _negotiated = _connection is null ? ConnectionMode.PerCall : ConnectionMode.Multiplexed;
            _perCallCredential = secure ? _credential : null;
            if (_connection is { } opened)
            {
                ClientLog.Multiplexed(_logger, RemoteEndPoint, ClientLog.Link(secure), opened.PeerId?.ToString() ?? "not proved");
            }
            else
            {
                ClientLog.PerCall(_logger, RemoteEndPoint, ClientLog.Link(secure));
            }

            return _connection;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private readonly record struct Untyped(IReadOnlyList<MsgPackValue>? Arguments, IReadOnlyDictionary<string, MsgPackValue>? Keywords);
}
