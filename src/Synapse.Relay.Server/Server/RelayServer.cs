using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Synapse.Crypto.Noise;
using Synapse.Discovery;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay.Backplane;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Reputation;
using Synapse.Transport;
using Synapse.Transport.Framing;
using Synapse.Transport.Secure;

namespace Synapse.Relay.Server;

/// <summary>
/// The relay: an untrusted router of sealed envelopes between agents. Agents connect over secure links (Noise XX)
/// and are registered under the agent id their handshake proved; the relay reads only envelopes' routing fields
/// (sender, recipient or room, message id, sizes), never a payload. Direct messages wait in the recipient's bounded
/// mailbox until it confirms them; room messages fan out to the room's other members. Rate limits, idle timeouts,
/// frame limits, backpressure and quarantine protect the relay and the agents that behave.
/// </summary>
public sealed class RelayServer : IAsyncDisposable
{
    /// <summary>How long a write to a link may stall before the link is closed.</summary>
    internal static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RelayLink, byte> _links = new(); // a set: the values mean nothing
    private readonly ConcurrentDictionary<Task, byte> _admissions = new(); // each ends when its connection does
    private readonly CancellationTokenSource _stopping = new();
    private readonly NoiseStaticCredential _credential;
    private readonly AgentIdentity _identity;
    private readonly bool _ownsIdentity;
    private readonly Quarantine _quarantine;
    private readonly RelayMetrics _metrics;
    private ITransportListener? _listener;
    private ITransportListener? _summonerListener;
    private Task _accepting = Task.CompletedTask;
    private Task _acceptingSummoner = Task.CompletedTask;
    private Task _housekeeping = Task.CompletedTask;
    private int _stopped;

    /// <summary>Creates a relay; <see cref="StartAsync"/> binds it.</summary>
    /// <param name="options">The configuration (see <see cref="RelayConfiguration"/>); validated here.</param>
    /// <param name="identity">The relay's own identity; when null, <see cref="RelayOptions.IdentityFile"/> is loaded,
    /// or an ephemeral identity is generated.</param>
    /// <param name="log">Where events go; when null, a log is made from <see cref="RelayOptions.Logger"/>.</param>
    /// <param name="time">The clock (tests use a fake one).</param>
    /// <param name="backplane">The broker shared with other relays (see <c>docs/relay-backplane.md</c>), required when
    /// <see cref="RelayOptions.Backplane"/> is set; the relay starts, stops and disposes it. Null routes in memory.</param>
    /// <param name="meterFactory">Creates the <c>Synapse.Relay</c> meter; the relay makes its own when null.</param>
    public RelayServer(RelayOptions options, AgentIdentity? identity = null, RelayLog? log = null, TimeProvider? time = null, IRelayBackplane? backplane = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Backplane is not null && backplane is null)
        {
            throw new RelayConfigurationException("backplane", null,
                $"the configuration names a '{options.Backplane.Broker}' backplane, but none was given to the relay (the synapse CLI builds one; in code, pass a RabbitMqBackplane)");
        }

        Options = options;
        Backplane = backplane;
        Time = time ?? TimeProvider.System;
        _ownsIdentity = identity is null;
        _identity = identity ?? LoadIdentity(options);
        _credential = NoiseStaticCredential.Create(_identity);
        _quarantine = new Quarantine(Time);
        Events = new RelayEvents(log ?? new RelayLog("synapse.relay", options.Logger));
        Mail = backplane is null ? new LocalMailStore(options.Mailbox) : new BackplaneMailStore(backplane, Events.Statistics, detail => Events.Backplane(false, detail));
        Router = new RelayRouter(this);
        EnvelopeLimits = new EnvelopeLimits { MaxPayloadSize = options.MaxFrameBytes };
        PartialFrames = new PartialFrameBudget(options.MaxPartialFrameBytes);
        Directory = new AgentDirectory(options.Directory, Time);
        _metrics = new RelayMetrics(this, meterFactory);
    }

    /// <summary>The configuration.</summary>
    public RelayOptions Options { get; }

    /// <summary>The relay's agent id (agents can pin it).</summary>
    public AgentId Id => _identity.Id;

    /// <summary>Where agents connect (with the actual port when configured with port 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint?)_listener?.LocalEndPoint ?? throw new InvalidOperationException("The relay is not started.");

    /// <summary>Where Summoner clients connect, or null when the Summoner listener is off.</summary>
    public IPEndPoint? SummonerEndPoint => (IPEndPoint?)_summonerListener?.LocalEndPoint;

    /// <summary>Counters of what the relay did.</summary>
    public RelayStatistics Statistics => Events.Statistics;

    /// <summary>The agent cards published here: what <c>find</c> answers from (see <c>docs/discovery.md</c>).</summary>
    public AgentDirectory Directory { get; }

    /// <summary>Agents connected now.</summary>
    public int ConnectedAgents => Router.AgentCount;

    internal TimeProvider Time { get; }

    internal RelayEvents Events { get; }

    internal RelayRouter Router { get; }

    internal IRelayBackplane? Backplane { get; }

    /// <summary>Where direct mail waits and room messages go beyond this relay: memory, or the backplane's broker.</summary>
    internal IRelayMailStore Mail { get; }

    internal EnvelopeLimits EnvelopeLimits { get; }

    /// <summary>What all links hold in frames begun but not finished, bounded by <see cref="RelayOptions.MaxPartialFrameBytes"/>.</summary>
    internal PartialFrameBudget PartialFrames { get; }

    /// <summary>The connected clients of the Summoner listener (a set: the values mean nothing).</summary>
    internal ConcurrentDictionary<SummonerSession, byte> SummonerClients { get; } = new();

    /// <summary>Connects the backplane (when there is one), binds the listener and starts accepting agents.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Backplane is not null)
        {
            await Backplane.StartAsync(new BackplaneHost(this), cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref Events.Statistics.BackplaneStateValue, 1); // it throws when the broker cannot be reached
        }

        _listener = TcpTransport.Listen(new IPEndPoint(ParseHost(Options.Host), Options.Port));
        if (Options.Summoner.Enabled)
        {
            try
            {
                _summonerListener = TcpTransport.Listen(new IPEndPoint(ParseHost(Options.Summoner.Host ?? Options.Host), Options.Summoner.Port));
            }
            catch
            {
                _listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }

            _acceptingSummoner = Task.Run(() => AcceptLoopAsync(_summonerListener, AdmitSummonerAsync), CancellationToken.None);
        }

        Events.Started(LocalEndPoint, Id, SummonerEndPoint);
        _accepting = Task.Run(() => AcceptLoopAsync(_listener, AdmitAsync), CancellationToken.None);
        _housekeeping = Task.Run(HousekeepingLoopAsync, CancellationToken.None);
    }

    /// <summary>Stops accepting, tells connected agents, closes every link.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        if (_summonerListener is not null)
        {
            await _summonerListener.DisposeAsync().ConfigureAwait(false);
        }

        await _accepting.ConfigureAwait(false);
        await _acceptingSummoner.ConfigureAwait(false);

        // No admission starts now. A link registered after this look sees _stopping and closes itself (RunLinkAsync).
        await Task.WhenAll(_links.Keys.Select(ShutDownAsync)).ConfigureAwait(false);
        await Task.WhenAll(_admissions.Keys).ConfigureAwait(false);
        await _housekeeping.ConfigureAwait(false);
        if (Backplane is not null)
        {
            await Backplane.StopAsync().ConfigureAwait(false);
        }

        Events.Stopped();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _credential.Dispose();
        if (Backplane is not null)
        {
            await Backplane.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsIdentity)
        {
            _identity.Dispose();
        }

        Events.Dispose();
        _metrics.Dispose();
    }

    /// <summary>Every direct message the relay holds now, as stored (sealed envelopes in deliver frames).</summary>
    internal IEnumerable<MailItem> StoredMail() => Mail.AllMail();

    internal TokenBucket BucketFor(string identity) =>
        _buckets.GetOrAdd(identity, static (_, server) => new TokenBucket(server.Options.RateLimitMessagesPerMinute, TokenBucket.BurstFor(server.Options.RateLimitMessagesPerMinute), server.Time), this);

    /// <summary>Forgets the rate-limit state of identities and addresses that have been quiet long enough to refill.</summary>
    internal void PurgeBuckets()
    {
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.IsFull)
            {
                _buckets.TryRemove(new KeyValuePair<string, TokenBucket>(key, bucket));
            }
        }
    }

    internal void Quarantine(RelayLink link, string reason)
    {
        // A Summoner client has no identity: its address is all there is to quarantine.
        _quarantine.Add(link.Identity, Options.QuarantineByAddress || link.Identity is null ? link.Address : null, Options.QuarantineCooldown);
        Events.Quarantined(link, reason);
        if (QuarantineAttested is { } attested && AgentId.TryParse(link.Identity, out AgentId agent, out _))
        {
            DateTimeOffset now = Time.GetUtcNow();
            attested(QuarantineAttestation.Sign(_identity, agent, reason.Length > 64 ? reason[..64] : reason, now, now + Options.QuarantineCooldown));
        }
    }

    /// <summary>
    /// Raised when the relay quarantines an identity, with the attestation it signed (see <c>docs/reputation.md</c>):
    /// evidence others can check with the relay's key. Raised on the relay's I/O path: keep handlers short.
    /// </summary>
    public event Action<QuarantineAttestation>? QuarantineAttested;

    internal bool IsQuarantined(IPAddress? address) => address is not null && _quarantine.Contains(address);

    private async Task AcceptLoopAsync(ITransportListener listener, Func<ITransportConnection, Task> admit)
    {
        while (!_stopping.IsCancellationRequested)
        {
            ITransportConnection? connection;
            try
            {
                connection = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                Events.AcceptFailed(e.Message);
                await Task.Delay(Options.AcceptErrorBackoff, Time).ConfigureAwait(false);
                continue;
            }

            if (connection is null)
            {
                return;
            }

            var admission = Task.Run(() => AdmitGuardedAsync(admit, connection));
            _admissions.TryAdd(admission, 0);
            _ = admission.ContinueWith(done => _admissions.TryRemove(done, out _), TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Admits a connection; an exception nobody expected (a fault in a handshake or in admission itself) is logged
    /// and closes that connection, so it is neither leaked nor left unobserved.
    /// </summary>
    private async Task AdmitGuardedAsync(Func<ITransportConnection, Task> admit, ITransportConnection connection)
    {
        try
        {
            await admit(connection).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Events.AdmissionFailed(connection.RemoteEndPoint, e);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Task ShutDownAsync(RelayLink link) => link.CloseAfterAsync(link.Notice("shutting_down", "Server is shutting down."));

    /// <summary>Links open now (agents and Summoner clients).</summary>
    internal int OpenLinks => _links.Count;

    /// <summary>Refuses (and closes) a connection from a quarantined address or beyond the connection limit.</summary>
    private async Task<bool> RefusedAtDoorAsync(ITransportConnection connection)
    {
        var reason = IsQuarantined((connection.RemoteEndPoint as IPEndPoint)?.Address) ? "address quarantined"
            : _links.Count >= Options.MaxConnections ? "too many connections"
            : null;
        if (reason is null)
        {
            return false;
        }

        Events.RefusedConnection(connection.RemoteEndPoint, reason);
        await connection.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    private async Task AdmitSummonerAsync(ITransportConnection connection)
    {
        if (await RefusedAtDoorAsync(connection).ConfigureAwait(false))
        {
            return;
        }

        var session = new SummonerSession(connection, this);
        await RunLinkAsync(session, session.RunAsync).ConfigureAwait(false);
    }

    private async Task RunLinkAsync(RelayLink link, Func<Task> run)
    {
        Events.Connected(link);
        _links[link] = 0;
        try
        {
            if (_stopping.IsCancellationRequested)
            {
                // StopAsync may have listed the links before this one joined them: it tells its client itself.
                await ShutDownAsync(link).ConfigureAwait(false);
            }

            await run().ConfigureAwait(false);
        }
        finally
        {
            _links.TryRemove(link, out _);
        }
    }

    private async Task AdmitAsync(ITransportConnection connection)
    {
        if (await RefusedAtDoorAsync(connection).ConfigureAwait(false))
        {
            return;
        }

        ITransportConnection link;
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
        {
            handshake.CancelAfter(Options.HandshakeTimeout);
            try
            {
                link = await SecureLink.AcceptAsync(connection, _credential, null, handshake.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (LinkLoss.Is(e) || e is NoiseException or OperationCanceledException)
            {
                Events.RefusedConnection(connection.RemoteEndPoint, e is OperationCanceledException ? "handshake timed out" : $"handshake failed: {e.Message}");
                await connection.DisposeAsync().ConfigureAwait(false);
                return;
            }
        }

        var agent = AgentId.Parse(link.PeerId!);
        var session = new AgentSession(link, this, agent);
        if (_quarantine.Contains(session.Identity))
        {
            Events.RefusedConnection(connection.RemoteEndPoint, $"identity {agent} quarantined");
            await session.CloseAfterAsync(session.Notice("quarantined", "this identity is quarantined; try again later")).ConfigureAwait(false);
            await link.DisposeAsync().ConfigureAwait(false);
            return;
        }

        await RunLinkAsync(session, session.RunAsync).ConfigureAwait(false);
    }

    private async Task HousekeepingLoopAsync()
    {
        var interval = Options.QuarantineCleanupInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : Options.QuarantineCleanupInterval;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Time);
        var nextPurge = Time.GetUtcNow() + interval;
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                Router.ExpireMail();
                if (Time.GetUtcNow() >= nextPurge)
                {
                    _quarantine.Purge();
                    PurgeBuckets();
                    Directory.PurgeExpired();
                    nextPurge = Time.GetUtcNow() + interval;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static AgentIdentity LoadIdentity(RelayOptions options)
    {
        if (options.IdentityFile is null)
        {
            return AgentIdentity.Generate();
        }

        var passphrase = options.IdentityPassphraseEnv is { } variable
            ? Environment.GetEnvironmentVariable(variable) ?? throw new InvalidOperationException($"The environment variable '{variable}' named by 'identity_passphrase_env' is not set.")
            : null;
        return AgentIdentity.Load(options.IdentityFile, passphrase);
    }

    private static IPAddress ParseHost(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "" or "0.0.0.0" or "*" => IPAddress.Any,
        _ => IPAddress.TryParse(host, out var address) ? address : Dns.GetHostAddresses(host).First(),
    };
}
