using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Artifacts;
using Synapse.Crypto.Noise;
using Synapse.Discovery;
using Synapse.Identity;
using Synapse.Rpc;
using Synapse.Transport;
using Synapse.Transport.Framing;

namespace Synapse.Hosting;

/// <summary>
/// Serves one agent over the synapse-p2p protocol: accepts connections, answers the built-ins, dispatches calls to
/// the agent's generated dispatcher and runs its background jobs.
/// </summary>
/// <example>
/// <code>
/// await using var host = new AgentHost(new Reviewer(), new AgentHostOptions { Port = 9999 });
/// await host.RunAsync(cancellationToken);
/// </code>
/// </example>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly ConcurrentDictionary<ServerConnection, byte> _connections = new();
    private readonly ConcurrentQueue<RpcInvocation> _invocationPool = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly BackgroundJobRunner _jobs;
    private readonly AgentIdentity? _ephemeralIdentity;
    private readonly Lock _lifecycle = new();
    private ITransportListener? _listener;
    private Task? _acceptLoop;
    private Task? _stop;
    private bool _started;
    private IHostService[] _services = [];

    /// <summary>Creates a host for <paramref name="agent"/>.</summary>
    /// <param name="agent">An <see cref="AgentNodeAttribute"/> class instance (the generator implements <see cref="IAgentNode"/>).</param>
    /// <param name="options">Host settings; defaults apply when <c>null</c>.</param>
    /// <param name="loggerFactory">Where logs go; nowhere when <c>null</c>.</param>
    /// <param name="meterFactory">Creates the <c>Synapse.Rpc</c> meter; a private meter is used when <c>null</c>.</param>
    /// <exception cref="InvalidOperationException">A background job's schedule cannot be used on this machine (an unknown time zone).</exception>
    public AgentHost(IAgentNode agent, AgentHostOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        Options = options ?? new AgentHostOptions();
        Options.Validate();
        Dispatcher = agent.CreateDispatcher();
        BackgroundJobRunner.CheckSchedules(Dispatcher.Descriptor); // before anything that would need disposing
        NodeId = Options.NodeId ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Logger = LoggerFactory.CreateLogger(typeof(AgentHost).FullName!);
        Metrics = new HostMetrics(Dispatcher.Descriptor.Name, meterFactory);
        _ephemeralIdentity = Options.Identity is null ? AgentIdentity.Generate() : null;
        Identity = Options.Identity ?? _ephemeralIdentity!;
        Credential = NoiseStaticCredential.Create(Identity);
        _jobs = new BackgroundJobRunner(Dispatcher, Logger, Options.TimeProvider);
        Admission = new ConnectionAdmission<ServerConnection>(Options.MaxConnections, Options.MaxPendingConnections);
        PartialFrames = new PartialFrameBudget(Options.MaxPartialFrameBytes);
    }

    /// <summary>The agent's manifest.</summary>
    public AgentDescriptor Descriptor => Dispatcher.Descriptor;

    /// <summary>The identity the host proves on secure links.</summary>
    public AgentIdentity Identity { get; }

    /// <summary>The node id reported by <c>_synapse.info</c>.</summary>
    public string NodeId { get; }

    /// <summary>The settings in use.</summary>
    public AgentHostOptions Options { get; }

    /// <summary>The bound address (with the actual port); available after <see cref="StartAsync"/>.</summary>
    public EndPoint LocalEndPoint => _listener?.LocalEndPoint ?? throw new InvalidOperationException("The host has not been started.");

    /// <summary>The bound port; available after <see cref="StartAsync"/>.</summary>
    public int Port => LocalEndPoint is IPEndPoint ip ? ip.Port : 0;

    internal AgentDispatcher Dispatcher { get; }

    internal ILogger Logger { get; }

    /// <summary>The factory the host was given; its features (the swarm) create their own loggers from it.</summary>
    internal ILoggerFactory LoggerFactory { get; }

    /// <summary>The Noise static key signed by <see cref="Identity"/>, shared by all handshakes.</summary>
    internal NoiseStaticCredential Credential { get; }

    internal HostMetrics Metrics { get; }

    /// <summary>Every built-in this host answers: its own, then its features'; filled in <see cref="StartAsync"/>.</summary>
    internal BuiltinRegistry Builtins { get; } = new();

    /// <summary>The host's own built-ins; available after <see cref="StartAsync"/>.</summary>
    internal BuiltinEndpoints OwnBuiltins { get; private set; } = null!;

    /// <summary>Every open connection, proved or not.</summary>
    internal int ConnectionCount => _connections.Count;

    /// <summary>Which connections have proved they are callers; see <see cref="ConnectionAdmission{T}"/>.</summary>
    internal ConnectionAdmission<ServerConnection> Admission { get; }

    /// <summary>What all connections hold in frames begun but not finished, bounded by <see cref="AgentHostOptions.MaxPartialFrameBytes"/>.</summary>
    internal PartialFrameBudget PartialFrames { get; }

    /// <summary>Binds the listener, starts accepting connections and starts the background jobs.</summary>
    /// <exception cref="InvalidOperationException">The host was started or stopped before.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryMarkStarted())
        {
            throw new InvalidOperationException("The host has already been started: call StartAsync once, then RunAsync to wait for it or StopAsync to stop it.");
        }

        Start();
        return Task.CompletedTask;
    }

    /// <summary>Marks the host started; false when it already was. A stopped host cannot start again.</summary>
    private bool TryMarkStarted()
    {
        lock (_lifecycle)
        {
            if (_stop is not null)
            {
                throw new InvalidOperationException("The host has been stopped and cannot start again: create a new AgentHost.");
            }

            if (_started)
            {
                return false;
            }

            _started = true;
            return true;
        }
    }

    private void Start()
    {
        _listener = Options.ListenerFactory?.Invoke(Options) ?? TcpTransport.Listen(new IPEndPoint(Options.BindAddress, Options.Port));
        var bound = _listener.LocalEndPoint as IPEndPoint;
        var address = new HostAddress(Options.AdvertisedAddress ?? (bound is null ? "" : ReachableAddress.Advertised(bound.Address)), bound?.Port ?? Options.Port);
        OwnBuiltins = new BuiltinEndpoints(Descriptor, NodeId, Options.Profile(), address);
        OwnBuiltins.Register(Builtins, Dispatcher);
        var card = ArtifactEndpoints.AgentCard(Descriptor, Identity.Id.ToString(), AgentCapability.FromDescriptor(Descriptor).Select(c => c.Name));
        new ArtifactEndpoints(Options.Artifacts, card).Register(Builtins);
        _services = [.. Options.Features.Select(feature => feature.Attach(this, address, _stopping.Token))];
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        _jobs.Start(_stopping.Token);
        HostLog.Listening(Logger, Descriptor.Name, _listener.LocalEndPoint, Descriptor.Endpoints.Count);
    }

    /// <summary>
    /// Stops accepting connections and requests, lets in-flight calls finish for up to
    /// <see cref="AgentHostOptions.DrainTimeout"/> (or until <paramref name="cancellationToken"/> fires), then cancels
    /// what is left, stops the background jobs and closes every connection.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_lifecycle)
        {
            // Every caller (StopAsync, RunAsync, DisposeAsync, concurrently or not) awaits the one shutdown.
            _stopRequested.TrySetResult();
            return _stop ??= _started ? StopCoreAsync(cancellationToken) : Task.CompletedTask;
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        foreach (var connection in _connections.Keys)
        {
            connection.BeginShutdown();
        }

        var drained = Task.WhenAll(_connections.Keys.Select(c => c.Completion));
        using (var drainTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            drainTimeout.CancelAfter(Options.DrainTimeout);
            try
            {
                await drained.WaitAsync(drainTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                HostLog.DrainTimedOut(Logger, _connections.Keys.Sum(c => c.InFlight));
            }
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_services.Select(service => service.StopAsync())).ConfigureAwait(false);
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }

        await Task.WhenAll(_connections.Keys.Select(c => c.Completion)).ConfigureAwait(false);
        try
        {
            // A background job that ignores its token must not hold the host forever.
            await _jobs.StopAsync().WaitAsync(Options.DrainTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            HostLog.BackgroundJobsOutlivedStop(Logger, Options.DrainTimeout);
        }

        HostLog.Stopped(Logger, Descriptor.Name);
    }

    /// <summary>
    /// Runs the host until <paramref name="cancellationToken"/> is cancelled or <see cref="StopAsync"/> is called, then
    /// stops it. A host that is not started yet is started first; one already started (by <see cref="StartAsync"/>)
    /// is run as it is, as the .NET generic host does.
    /// </summary>
    /// <exception cref="InvalidOperationException">The host was stopped before.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (TryMarkStarted())
        {
            Start();
        }

        try
        {
            await _stopRequested.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Stops the host if it is running and releases its resources.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        Metrics.Dispose();
        Credential.Dispose();
        _ephemeralIdentity?.Dispose();
    }

    internal RpcInvocation RentInvocation() =>
        _invocationPool.TryDequeue(out var invocation) ? invocation : new RpcInvocation(Options.ReaderOptions);

    /// <summary>The running feature of type <typeparamref name="T"/> (a swarm membership, the evidence built-in), or <c>null</c>.</summary>
    internal T? Service<T>()
        where T : class, IHostService => _services.OfType<T>().FirstOrDefault();

    internal void ReturnInvocation(RpcInvocation invocation)
    {
        if (invocation.TryReset() && _invocationPool.Count < 1024)
        {
            _invocationPool.Enqueue(invocation);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            ITransportConnection? transport;
            try
            {
                transport = await _listener!.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (!_stopping.IsCancellationRequested)
            {
                // Out of file descriptors and the like: log, back off, keep serving the connections we have.
                HostLog.ConnectionFailed(Logger, e, null);
                await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
                continue;
            }

            if (transport is null)
            {
                return;
            }

            var connection = new ServerConnection(this, transport);
            _connections.TryAdd(connection, 0);
            Metrics.ConnectionOpened();
            if (Admission.Admit(connection) is { } oldest)
            {
                Metrics.ConnectionShed();
                HostLog.ConnectionShed(Logger, oldest.RemoteEndPoint, Options.MaxPendingConnections);
                oldest.Abort();
            }

            _ = RunConnectionAsync(connection);
        }
    }

    private async Task RunConnectionAsync(ServerConnection connection)
    {
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            Admission.Closed(connection);
            _connections.TryRemove(connection, out _);
            Metrics.ConnectionClosed();
        }
    }

    /// <summary>
    /// Tells a connection that proved itself (or is about to) when every slot of
    /// <see cref="AgentHostOptions.MaxConnections"/> is taken that the host is busy, over <paramref name="link"/>
    /// (plaintext, or the secure link it just made), and closes it.
    /// </summary>
    internal Task RefuseBusyAsync(ConnectionLink link)
    {
        Metrics.ConnectionRejected();
        HostLog.ConnectionLimit(Logger, link.Transport.RemoteEndPoint, Admission.Proved, Options.MaxConnections);
        return LingeringClose.RejectAsync(link, outbox: null, Options.WriteTimeout, Logger, $"{RpcProtocol.ServerBusyPrefix} connection limit of {Options.MaxConnections} reached");
    }
}
