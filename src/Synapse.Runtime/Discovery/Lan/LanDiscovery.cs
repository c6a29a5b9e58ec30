using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Synapse.Transport;

namespace Synapse.Discovery.Lan;

/// <summary>
/// mDNS/DNS-SD discovery of Synapse and synapse-p2p nodes on the LAN under <c>_synapse._tcp.local.</c>: a responder
/// that announces <c>self</c> at start and answers PTR queries with PTR+SRV+TXT+A, and a browser that asks
/// every <see cref="LanDiscoveryOptions.QueryInterval"/> and yields the peers it hears of, forgetting each when it
/// says goodbye or its records' TTL runs out. IPv4 only (UDP 5353, group 224.0.0.251). Nothing is sent or received
/// unless <see cref="LanDiscoveryOptions.Enabled"/> is set.
/// </summary>
public sealed class LanDiscovery : IAsyncDisposable
{
    /// <summary>The mDNS IPv4 group and port (RFC 6762 §3).</summary>
    public static readonly IPEndPoint MulticastEndPoint = new(IPAddress.Parse("224.0.0.251"), 5353);

    private readonly LanDiscoveryOptions _options;
    private readonly LanAnnouncement? _self;
    private readonly string _hostName;
    private readonly TimeProvider _time;
    private readonly LanPeerTable _peers;

    /// <summary>The most peers remembered, so a flood of made-up announcements cannot exhaust memory.</summary>
    internal const int MaxPeers = 1024;

    /// <summary>How often expired peers are forgotten and refresh points checked.</summary>
    internal static readonly TimeSpan ExpiryCheckInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<LanAnnouncement> _discovered = Channel.CreateBounded<LanAnnouncement>(
        new BoundedChannelOptions(MaxPeers) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Channel<bool> _answerDue = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private long _lastResponseMs = long.MinValue / 2;
    private Socket? _socket;
    private Task _loops = Task.CompletedTask;

    /// <summary>Creates a discovery that announces <paramref name="self"/> (if given) and browses for peers.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="self">What to announce; <c>null</c> only browses.</param>
    /// <param name="time">The clock peers' TTLs run on; the system clock when <c>null</c> (tests use a fake one).</param>
    /// <exception cref="ArgumentException"><paramref name="self"/> cannot be announced: its address is not IPv4,
    /// its port is out of range, or a TXT value is over 255 bytes.</exception>
    public LanDiscovery(LanDiscoveryOptions options, LanAnnouncement? self = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _self = self;
        _hostName = options.HostName ?? Dns.GetHostName();
        _time = time ?? TimeProvider.System;
        if (options.Ttl < TimeSpan.FromSeconds(1) || options.Ttl > TimeSpan.FromSeconds(LanRecords.MaxTtl))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Ttl, $"LanDiscoveryOptions.Ttl must be between 1 and {LanRecords.MaxTtl} seconds.");
        }

        _peers = new LanPeerTable(_time, MaxPeers);
        if (self is not null)
        {
            Validate(self);
        }
    }

    /// <summary>Whether the socket is open: started, enabled and not disposed.</summary>
    public bool IsRunning => _socket is not null;

    /// <summary>
    /// The peers heard of that have neither said goodbye (TTL 0) nor let their records' TTL run out since last
    /// heard of, one per id (ourselves excluded).
    /// </summary>
    public IReadOnlyCollection<LanAnnouncement> Peers => _peers.Peers;

    /// <summary>
    /// Opens the socket, announces <c>self</c> and sends the first query. Does nothing when
    /// <see cref="LanDiscoveryOptions.Enabled"/> is <c>false</c>.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        if (!_options.Enabled || _socket is not null)
        {
            return;
        }

        _socket = LanSocket.Open(_options.InterfaceAddress);
        if (_self is not null)
        {
            await SendResponseAsync(cancellationToken).ConfigureAwait(false);
        }

        await QueryAsync(cancellationToken).ConfigureAwait(false);
        _loops = Task.WhenAll(
            ReceiveLoopAsync(_stop.Token), QueryLoopAsync(_stop.Token), AnswerLoopAsync(_stop.Token), ExpiryLoopAsync(_stop.Token));
    }

    /// <summary>Sends a PTR query for <c>_synapse._tcp.local.</c> now.</summary>
    public Task QueryAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new DnsMessage(0, 0) { Questions = [new DnsQuestion(LanRecords.ServiceType, DnsRecordType.Ptr)] }, cancellationToken);

    /// <summary>
    /// Yields each peer when it is first heard of, and again when its announcement changes, until
    /// <paramref name="cancellationToken"/> fires or the discovery is disposed. Meant for one reader; unread, at
    /// most 1024 are kept (the oldest are dropped), and at most 1024 peers are remembered.
    /// </summary>
    public IAsyncEnumerable<LanAnnouncement> DiscoverAsync(CancellationToken cancellationToken = default) =>
        _discovered.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Sends a goodbye (TTL 0) for <c>self</c>, closes the socket and ends <see cref="DiscoverAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        if (_socket is not null && _self is not null)
        {
            try
            {
                await SendAsync(Response(TimeSpan.Zero), CancellationToken.None).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // The goodbye is a courtesy; peers' caches expire anyway.
            }
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false); // before the socket goes: a loop mid-send must not meet a disposed socket
        }
        catch (Exception e) when (LinkLoss.Is(e) || e is OperationCanceledException)
        {
        }
        finally
        {
            _socket?.Dispose();
            _socket = null;
            _discovered.Writer.TryComplete();
            _stop.Dispose();
        }
    }

    private void Validate(LanAnnouncement self)
    {
        if (!IPAddress.TryParse(self.Address, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"LAN discovery announces an IPv4 address, not '{self.Address}'", nameof(self));
        }

        if (self.Port is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentException($"port {self.Port} is out of range", nameof(self));
        }

        try
        {
            DnsWriter.Write(Response(_options.Ttl));
        }
        catch (DnsFormatException e)
        {
            throw new ArgumentException($"the announcement does not fit in DNS records: {e.Message}", nameof(self), e);
        }
    }

    private DnsMessage Response(TimeSpan ttl) => new(0, DnsMessage.ResponseFlags)
    {
        Answers = LanRecords.ToRecords(_self!, _hostName, (uint)ttl.TotalSeconds),
    };

    private async Task SendAsync(DnsMessage message, CancellationToken cancellationToken)
    {
        if (_socket is { } socket)
        {
            await socket.SendToAsync(DnsWriter.Write(message), SocketFlags.None, MulticastEndPoint, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private async Task SendResponseAsync(CancellationToken cancellationToken)
    {
        await SendAsync(Response(_options.Ttl), cancellationToken).ConfigureAwait(false);
        _lastResponseMs = Environment.TickCount64;
    }

    private async Task QueryLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.QueryInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await TolerateAsync(QueryAsync(cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Forgets peers whose TTL ran out, and asks again when a peer reaches 80, 85, 90 or 95% of its TTL unheard of
    /// (RFC 6762 §5.2): the PTR query makes every peer still there answer with all its records.
    /// </summary>
    private async Task ExpiryLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ExpiryCheckInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await TolerateAsync(RefreshAsync(cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets the expired peers and sends a query if one is due; without a socket nothing is sent.</summary>
    /// <returns>Whether a query was due.</returns>
    internal async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        if (!_peers.TakeRefreshDue())
        {
            return false;
        }

        await QueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Answers queries, multicasting our records at most once a second (RFC 6762 §6), however many ask.</summary>
    private async Task AnswerLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in _answerDue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            long wait = _lastResponseMs + 1000 - Environment.TickCount64;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken).ConfigureAwait(false);
            }

            await TolerateAsync(SendResponseAsync(cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>A send that fails (no route, interface down) is skipped; the next interval tries again.</summary>
    private static async Task TolerateAsync(Task send)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (Exception e) when (LinkLoss.Is(e))
        {
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[DnsLimits.MaxMessage];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket!.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (LinkLoss.Is(e))
            {
                return; // closed by DisposeAsync
            }

            DnsMessage message;
            try
            {
                message = DnsReader.Read(buffer.AsSpan(0, received.ReceivedBytes));
            }
            catch (DnsFormatException)
            {
                continue; // hostile or foreign traffic: ignored
            }

            Handle(message, (received.RemoteEndPoint as IPEndPoint)?.Address);
        }
    }

    /// <summary>Answers a query for our service, or records the peers a response announces.</summary>
    internal void Handle(DnsMessage message, IPAddress? sender)
    {
        if (!message.IsResponse)
        {
            bool asked = message.Questions.Any(q => q.Type is DnsRecordType.Ptr or DnsRecordType.Any
                && string.Equals(q.Name, LanRecords.ServiceType, StringComparison.OrdinalIgnoreCase));
            if (asked && _self is not null)
            {
                _answerDue.Writer.TryWrite(true);
            }

            return;
        }

        foreach (var id in LanRecords.Goodbyes(message))
        {
            _peers.Forget(id);
        }

        foreach (var heard in LanRecords.FromMessage(message, _hostName, sender))
        {
            if (_self is not null && heard.Peer.Id == _self.Id)
            {
                continue;
            }

            if (_peers.Remember(heard))
            {
                _discovered.Writer.TryWrite(heard.Peer);
            }
        }
    }
}
