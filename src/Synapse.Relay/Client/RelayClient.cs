using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Crypto.Noise;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay.Outbox;
using Synapse.Transport;
using Synapse.Transport.Secure;

namespace Synapse.Relay.Client;

/// <summary>
/// An agent's connection to its relays. Connects to the first relay of <see cref="RelayClientOptions.Relays"/> that
/// answers, reconnects with exponential backoff and jitter, and fails over along the list. Every message sent is kept
/// in the outbox (durable with a data directory) until the relay acknowledges it, and sent again after a reconnect;
/// received messages are opened, checked, de-duplicated by message id and handed to the handler once. A handler that
/// throws is logged; the connection carries on.
/// </summary>
public sealed partial class RelayClient : IAsyncDisposable
{
    private readonly AgentIdentity _identity;
    private readonly EncryptionKeyPair _encryptionKey;
    private readonly RelayClientOptions _options;
    private readonly ILogger _logger;
    private readonly NoiseStaticCredential _credential;
    private readonly EnvelopeOpener _opener;
    private readonly IRelayOutbox _outbox;
    private readonly IInboxDeduplicator _inbox;
    private readonly IRelayStore? _store;
    private readonly Lock _sendLock = new();
    private readonly ConcurrentDictionary<string, RoomMembership> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _acknowledgements = new();
    private readonly List<Func<RelayMessage, CancellationToken, ValueTask>> _handlers = [];
    private readonly ReconnectLoop<RelayConnection> _loop;
    private RelayConnection? _connection;
    private int _disposed;

    /// <summary>Creates the client; <see cref="StartAsync"/> connects it.</summary>
    /// <param name="identity">The agent's identity: what the relay registers it as, and what signs its envelopes.</param>
    /// <param name="encryptionKey">The agent's encryption key (whose certificate senders seal direct messages to).</param>
    /// <param name="options">Relays, backoff, storage.</param>
    /// <param name="loggerFactory">Where connection events and handler failures are logged (category <c>Synapse.Relay.Client.RelayClient</c>); nowhere when <c>null</c>.</param>
    public RelayClient(AgentIdentity identity, EncryptionKeyPair encryptionKey, RelayClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(encryptionKey);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Relays.Count == 0)
        {
            throw new ArgumentException("At least one relay is needed.", nameof(options));
        }

        _identity = identity;
        _encryptionKey = encryptionKey;
        _options = options;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = LoggerFactory.CreateLogger(typeof(RelayClient).FullName!);
        _credential = NoiseStaticCredential.Create(identity);
        _opener = new EnvelopeOpener(encryptionKey, options.Opener);
        if (options.OpenStore is { } open)
        {
            _store = open(options.OutboxLimits);
            _outbox = _store.Outbox;
            _inbox = _store.Inbox;
        }
        else
        {
            _outbox = new MemoryRelayOutbox(options.OutboxLimits);
            _inbox = new MemoryInboxDeduplicator();
        }

        _loop = CreateLoop();
    }

    /// <summary>The agent's id.</summary>
    public AgentId Id => _identity.Id;

    /// <summary>Where this client's logs go; flows run over it (<see cref="RelayClientFlows"/>) log there too.</summary>
    internal ILoggerFactory LoggerFactory { get; }

    /// <summary>The certificate of the agent's encryption key, for senders.</summary>
    public EncryptionKeyCertificate Certificate => _encryptionKey.Certificate;

    /// <summary>The relay connected now, or null.</summary>
    public RelayEndpoint? CurrentRelay => _connection?.Relay;

    /// <summary>Messages sent and not yet acknowledged.</summary>
    public int PendingCount => _outbox.Count;

    /// <summary>Registers a handler for received messages (direct and room). Handlers run in arrival order.</summary>
    public void OnMessage(Func<RelayMessage, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_handlers)
        {
            _handlers.Add(handler);
        }
    }

    /// <summary>Starts connecting (in the background; see <see cref="WaitConnectedAsync"/>).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _loop.Start();
        return Task.CompletedTask;
    }

    /// <summary>Waits until a relay connection is up (and the outbox has been handed to it).</summary>
    /// <exception cref="InvalidOperationException">The client gave up: every relay failed and the retry budget is spent.</exception>
    /// <exception cref="OperationCanceledException">The client was disposed.</exception>
    public Task WaitConnectedAsync(CancellationToken cancellationToken = default) =>
        _loop.WaitConnectedAsync(cancellationToken);

    /// <summary>
    /// Seals <paramref name="payload"/> to the recipient's certified key, stores it in the outbox (durably, with a data
    /// directory) and sends it when connected. Returns the message id once stored.
    /// </summary>
    /// <exception cref="OutboxFullException">The outbox is at its limits.</exception>
    public Guid Send(EncryptionKeyCertificate recipientKey, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(recipientKey);
        return SubmitTraced(null, recipientKey, payload);
    }

    /// <summary>
    /// Shares a room's key with an agent in a direct sealed message (only that agent can open it); the agent's client
    /// raises <see cref="RoomInvitation"/> with the key instead of calling the message handlers.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not a room (topic) key.</exception>
    public Guid ShareRoomKey(EncryptionKeyCertificate memberKey, EncryptionKeyPair roomKey)
    {
        ArgumentNullException.ThrowIfNull(memberKey);
        ArgumentNullException.ThrowIfNull(roomKey);
        return Submit(EnvelopeSealer.Seal(_identity, memberKey, RoomKeyShare.Encode(roomKey), _options.TimeProvider));
    }

    /// <summary>
    /// Raised when another agent shares a room key (see <see cref="ShareRoomKey"/>). The handler decides whether to
    /// join with it; without a handler the key is discarded.
    /// </summary>
    public event Action<RoomInvitation>? RoomInvitation;

    /// <summary>Seals <paramref name="payload"/> with a room's key and publishes it to the room (joined first).</summary>
    /// <exception cref="InvalidOperationException">The room was not joined.</exception>
    public Guid Publish(string room, ReadOnlySpan<byte> payload)
    {
        if (!_rooms.TryGetValue(room, out var membership))
        {
            throw new InvalidOperationException($"Join room '{room}' before publishing to it.");
        }

        return SubmitTraced(room, membership.Key.Certificate, payload);
    }

    /// <summary>
    /// Joins a room: the relay will deliver the room's messages, which open with <paramref name="roomKey"/> (a topic
    /// key the members share). Joined again automatically after each reconnect.
    /// </summary>
    /// <exception cref="RelayRefusedException">The relay refused the join (for example <c>too_many_rooms</c>); the room is not joined.</exception>
    public async Task JoinAsync(string room, EncryptionKeyPair roomKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roomKey);
        var membership = new RoomMembership(room, roomKey);
        if (!_rooms.TryAdd(room, membership))
        {
            return;
        }

        _opener.AddKey(roomKey);
        _connection?.SendJoin(room);
        await membership.Joined.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Leaves a room: the relay stops delivering its messages, and the room's key is forgotten.</summary>
    /// <returns>False when the room was not joined.</returns>
    public bool Leave(string room)
    {
        if (!_rooms.TryRemove(room, out var membership))
        {
            return false;
        }

        _opener.RemoveKey(membership.Key);
        _connection?.SendLeave(room);
        return true;
    }

    /// <summary>Completes when the relay acknowledged the message; throws <see cref="RelayRefusedException"/> if refused.</summary>
    public Task WaitAcknowledgedAsync(Guid messageId, CancellationToken cancellationToken = default)
    {
        var waiter = _acknowledgements.GetOrAdd(messageId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_outbox.Contains(messageId))
        {
            waiter.TrySetResult(); // acknowledged before anyone asked (or never ours)
            _acknowledgements.TryRemove(messageId, out _);
        }

        return waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Disconnects and releases the stores.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _loop.DisposeAsync().ConfigureAwait(false);
        _credential.Dispose();
        _store?.Dispose();
        if (_store is null)
        {
            _outbox.Dispose();
            _inbox.Dispose();
        }
    }

    /// <summary>Seals and submits an application's payload, with a send span and the trace context sealed in front of it.</summary>
    private Guid SubmitTraced(string? room, EncryptionKeyCertificate to, ReadOnlySpan<byte> payload)
    {
        var activity = RelayTracing.StartSend(room);
        try
        {
            var context = activity ?? Activity.Current;
            var messageId = Submit(context is null
                ? EnvelopeSealer.Seal(_identity, to, payload, _options.TimeProvider)
                : EnvelopeSealer.Seal(_identity, to, TracedPayload.Wrap(context, payload), _options.TimeProvider));
            RelayTracing.StopSend(activity, messageId);
            return messageId;
        }
        catch (Exception e)
        {
            RelayTracing.Stop(activity, e);
            throw;
        }
    }

    private Guid Submit(SealedEnvelope envelope)
    {
        var encoded = envelope.Encode();
        lock (_sendLock)
        {
            _outbox.Add(envelope.MessageId, encoded);
            _connection?.SendEnvelope(encoded);
        }

        return envelope.MessageId;
    }

    private ReconnectLoop<RelayConnection> CreateLoop() => new(
        new ReconnectLoopOptions
        {
            Name = "Relay connection",
            Endpoints = [.. _options.Relays.Select(relay => relay.EndPoint)],
            Backoff = _options.Backoff,
            ConnectTimeout = _options.ConnectTimeout,
            TimeProvider = _options.TimeProvider,
            Logger = _logger,
            IsConnectFailure = static e => e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or NoiseException or InvalidOperationException,
        },
        new ReconnectSteps<RelayConnection>
        {
            ConnectAsync = ConnectAsync,
            Connected = OnConnected,
            RunAsync = static (connection, stopping) => connection.RunAsync(stopping),
            Disconnected = OnDisconnected,
        });

    private async Task<RelayConnection?> ConnectAsync(int relayIndex, CancellationToken cancellationToken)
    {
        var relay = _options.Relays[relayIndex];
        var connection = await _options.Connector.ConnectAsync(relay.EndPoint, cancellationToken).ConfigureAwait(false);
        try
        {
            var (link, _) = await SecureLink.ConnectAsync(connection, _credential, relay.ExpectedId, cancellationToken).ConfigureAwait(false);
            if (link is null)
            {
                RelayClientLog.NotSecure(_logger, relay.EndPoint);
                await connection.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            return new RelayConnection(this, relay, link);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A new link: it becomes the current one, rejoins the rooms and carries the outbox.</summary>
    private void OnConnected(RelayConnection connection, int relayIndex)
    {
        lock (_sendLock)
        {
            _connection = connection;
            foreach (var room in _rooms.Keys)
            {
                connection.SendJoin(room);
            }

            foreach (var pending in _outbox.Pending())
            {
                connection.SendEnvelope(pending.Envelope);
            }
        }

        RelayClientLog.Connected(_logger, connection.Relay.EndPoint, connection.PeerId, _outbox.Count);
    }

    private void OnDisconnected(RelayConnection connection)
    {
        lock (_sendLock)
        {
            _connection = null;
        }

        FailRequests(connection);
    }

    internal void OnAcknowledged(Guid messageId)
    {
        _outbox.Remove(messageId);
        if (_acknowledgements.TryRemove(messageId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    internal void OnRefused(Guid messageId, string code, string message, bool retry, RelayConnection connection)
    {
        RelayClientLog.Refused(_logger, messageId, code, message);
        if (retry)
        {
            _ = RetryLaterAsync(messageId, connection);
            return;
        }

        if (messageId != Guid.Empty)
        {
            _outbox.Remove(messageId);
        }

        if (_acknowledgements.TryRemove(messageId, out var waiter))
        {
            waiter.TrySetException(new RelayRefusedException(messageId, code, message));
        }
    }

    /// <summary>Raised for each notice a relay sends (throttled, flow_controlled, quarantined, shutting_down…).</summary>
    public event Action<string, string>? Notice;

    internal void OnNotice(string code, string message)
    {
        RelayClientLog.Notice(_logger, code, message);
        Notice?.Invoke(code, message);
    }

    internal void OnJoined(string room)
    {
        if (_rooms.TryGetValue(room, out var membership))
        {
            membership.Joined.TrySetResult();
        }
    }

    /// <summary>The relay refused to join <paramref name="room"/>: it is forgotten (not joined again on reconnect) and its join fails.</summary>
    internal void OnJoinRefused(string room, string code, string message)
    {
        RelayClientLog.JoinRefused(_logger, room, code, message);
        if (_rooms.TryRemove(room, out var membership))
        {
            _opener.RemoveKey(membership.Key);
            membership.Joined.TrySetException(RelayRefusedException.Join(room, code, message));
        }
    }

    /// <summary>Opens, de-duplicates and hands a delivered envelope to the handlers; returns its id to confirm.</summary>
    internal async ValueTask<Guid> ReceiveAsync(ReadOnlyMemory<byte> encoded, CancellationToken cancellationToken)
    {
        OpenedEnvelope opened;
        try
        {
            opened = _opener.Open(encoded);
        }
        catch (EnvelopeException e)
        {
            var id = TryReadId(encoded);
            if (e.Reason != EnvelopeError.Replayed)
            {
                RelayClientLog.EnvelopeDropped(_logger, id, e.Reason, e.Message);
            }

            return id; // confirmed either way: a duplicate was handled before, and a bad envelope never will be
        }

        if (!_inbox.TryAccept(opened.MessageId))
        {
            return opened.MessageId;
        }

        if (RoomKeyShare.IsShare(opened.Payload.Span))
        {
            OfferRoomKey(opened);
            return opened.MessageId;
        }

        var message = new RelayMessage(opened, TracedPayload.Unwrap(opened.Payload, out var sender));
        Func<RelayMessage, CancellationToken, ValueTask>[] handlers;
        lock (_handlers)
        {
            handlers = [.. _handlers];
        }

        var activity = RelayTracing.StartProcess(message, sender);
        Exception? failure = null;
        try
        {
            foreach (var handler in handlers)
            {
                try
                {
                    await handler(message, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failure = e;
                    RelayClientLog.HandlerFailed(_logger, e, message);
                }
            }
        }
        finally
        {
            RelayTracing.Stop(activity, failure);
        }

        return opened.MessageId;
    }

    private void OfferRoomKey(OpenedEnvelope opened)
    {
        EncryptionKeyPair key;
        try
        {
            key = RoomKeyShare.Decode(opened.Payload);
        }
        catch (FormatException e)
        {
            RelayClientLog.RoomKeyDropped(_logger, opened.Sender, e.Message);
            return;
        }

        var handler = RoomInvitation;
        if (handler is null)
        {
            key.Dispose();
            return;
        }

        try
        {
            handler(new RoomInvitation(opened.Sender, key.Certificate.Subject.Topic, key));
        }
        catch (Exception e)
        {
            RelayClientLog.InvitationHandlerFailed(_logger, e);
        }
    }

    private async Task RetryLaterAsync(Guid messageId, RelayConnection connection)
    {
        try
        {
            await Task.Delay(_options.RetryDelay, _options.TimeProvider, _loop.Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_sendLock)
        {
            if (ReferenceEquals(_connection, connection) && _outbox.TryGet(messageId, out var envelope))
            {
                connection.SendEnvelope(envelope);
            }
        }
    }

    private static Guid TryReadId(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            return SealedEnvelope.Decode(encoded).MessageId;
        }
        catch (EnvelopeException)
        {
            return Guid.Empty;
        }
    }

    private sealed class RoomMembership(string room, EncryptionKeyPair key)
    {
        public string Room { get; } = room;

        public EncryptionKeyPair Key { get; } = key;

        public TaskCompletionSource Joined { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
