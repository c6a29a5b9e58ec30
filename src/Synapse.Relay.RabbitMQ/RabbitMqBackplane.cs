using System.Collections.Concurrent;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Synapse.Relay.Backplane;
using Synapse.Relay.Configuration;

namespace Synapse.Relay.RabbitMQ;

/// <summary>
/// The relay backplane on RabbitMQ (see <c>docs/relay-backplane.md</c>). Direct messages live in one durable queue
/// per agent (<c>{prefix}.mailbox.{agent id}</c>), published with publisher confirms and consumed with manual
/// acknowledgements, so a sender is acknowledged only once the broker holds its message and the broker forgets it
/// only once the recipient confirmed it. Room messages and agent cards reach the other relays through two exchanges
/// and one queue per relay. When the broker goes away, senders are told to retry and the backplane reconnects.
/// </summary>
public sealed class RabbitMqBackplane : IRelayBackplane
{
    private static readonly TimeSpan ReattachDelay = TimeSpan.FromSeconds(1);
    private readonly BackplaneOptions _options;
    private readonly BrokerTopology _topology;
    private readonly QueueDeclarer _declarer;
    private readonly ConfirmedPublisher _publisher;
    private readonly ConcurrentDictionary<DurableMailbox, byte> _mailboxes = new();
    private readonly Channel<RoomChange> _roomChanges = Channel.CreateUnbounded<RoomChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _boundRooms = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _topologyLock = new(1, 1);
    private readonly SemaphoreSlim _lost = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private IRelayBackplaneHost? _host;
    private IConnection? _connection;
    private IChannel? _setupChannel;
    private string _relayQueue = "";
    private Task _roomWorker = Task.CompletedTask;
    private Task _supervisor = Task.CompletedTask;
    private int _stopped;
    private int _blocked;

    /// <summary>Creates the backplane a relay with <paramref name="options"/> uses.</summary>
    /// <param name="options">The relay's configuration: <see cref="RelayOptions.Backplane"/> must be set, and
    /// <see cref="RelayOptions.Mailbox"/> gives the limits of the durable mailboxes.</param>
    public RabbitMqBackplane(RelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Backplane ?? throw new ArgumentException("The relay options have no backplane section.", nameof(options));
        options.Validate();
        _topology = new BrokerTopology(_options, options.Mailbox);
        _declarer = new QueueDeclarer(_topology, Report);
        _publisher = new ConfirmedPublisher(_declarer, _options.ConfirmTimeout, Report);
        Channels = new ConsumerChannels(_topology.MailboxPrefetch);
    }

    internal ConsumerChannels Channels { get; }

    private IRelayBackplaneHost Host => _host ?? throw new InvalidOperationException("The backplane is not started.");

    /// <inheritdoc />
    public async Task StartAsync(IRelayBackplaneHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _relayQueue = _topology.RelayQueue(host.RelayId);
        try
        {
            await ConnectAsync(firstTime: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBrokerFailure(e) || e is BrokerUnreachableException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException($"The relay backplane could not reach the broker at {_options.Uri.Scheme}://{_options.Uri.Host}:{_options.Uri.Port}: {e.Message}", e);
        }

        _roomWorker = Task.Run(ApplyRoomChangesAsync, CancellationToken.None);
        _supervisor = Task.Run(SuperviseAsync, CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _roomChanges.Writer.TryComplete();
        await _roomWorker.ConfigureAwait(false);
        await _supervisor.ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await CloseQuietlyAsync(connection).ConfigureAwait(false); // unconfirmed mail goes back to its queues
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <inheritdoc />
    public ValueTask<BackplaneStatus> StoreDirectAsync(string recipient, string sender, Guid messageId, ReadOnlyMemory<byte> deliverFrame)
    {
        if (Volatile.Read(ref _blocked) != 0)
        {
            return new(BackplaneStatus.Unavailable); // the broker stopped reading publishes (a memory or disk alarm)
        }

        var queue = _topology.MailboxQueue(recipient);
        var properties = MessageKinds.Persistent(MessageKinds.Direct, messageId.ToString("N"), (MessageKinds.SenderHeader, sender));
        return new(_publisher.PublishAsync("", queue, properties, deliverFrame, mailboxQueue: queue));
    }

    /// <inheritdoc />
    public async ValueTask<BackplaneStatus> PublishToRoomAsync(string room, string sender, Guid messageId, ReadOnlyMemory<byte> deliverFrame)
    {
        if (Volatile.Read(ref _blocked) != 0)
        {
            return BackplaneStatus.Unavailable;
        }

        var properties = MessageKinds.Persistent(MessageKinds.Room, messageId.ToString("N"),
            (MessageKinds.OriginHeader, Host.RelayId), (MessageKinds.SenderHeader, sender), (MessageKinds.RoomHeader, room));
        var status = await _publisher.PublishAsync(_topology.RoomsExchange, BrokerTopology.RoomKey(room), properties, deliverFrame).ConfigureAwait(false);
        return status == BackplaneStatus.Full ? BackplaneStatus.Unavailable : status; // a relay queue is full: nothing the sender could wait out
    }

    /// <inheritdoc />
    public IBackplaneMailbox OpenMailbox(string agent, Action<BackplaneDelivery> deliver)
    {
        var mailbox = new DurableMailbox(this, agent, deliver);
        _mailboxes[mailbox] = 0;
        _ = AttachAsync(mailbox);
        return mailbox;
    }

    /// <inheritdoc />
    public Task RoomMembershipChanged(string room)
    {
        var change = new RoomChange(room);
        if (!_roomChanges.Writer.TryWrite(change))
        {
            change.Done.TrySetResult();
        }

        return change.Done.Task;
    }

    /// <inheritdoc />
    public void CardStored(ReadOnlyMemory<byte> encodedCard) => SendCard(encodedCard, _topology.DirectoryExchange, "");

    /// <summary>Whether <paramref name="e"/> is the broker or the connection failing (not a bug of ours).</summary>
    internal static bool IsBrokerFailure(Exception e) =>
        e is OperationInterruptedException or AlreadyClosedException or IOException or ObjectDisposedException or TimeoutException
            or ChannelAllocationException or OperationCanceledException;

    internal void Forget(DurableMailbox mailbox) => _mailboxes.TryRemove(mailbox, out _);

    /// <summary>The broker ended a mailbox's consumer while the connection lives on: consume again shortly.</summary>
    internal void ReattachLater(DurableMailbox mailbox) => _ = Task.Run(async () =>
    {
        try
        {
            await Task.Delay(ReattachDelay, _stopping.Token).ConfigureAwait(false);
            await AttachAsync(mailbox).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The relay stopped meanwhile.
        }
    });

    private void Report(string detail) => _host?.StateChanged(false, detail);

    private void SendCard(ReadOnlyMemory<byte> encodedCard, string exchange, string routingKey) =>
        _ = _publisher.PublishAsync(exchange, routingKey, MessageKinds.Persistent(MessageKinds.Card, null, (MessageKinds.OriginHeader, Host.RelayId)), encodedCard);

    private async Task AttachAsync(DurableMailbox mailbox)
    {
        if (Volatile.Read(ref _connection) is not { IsOpen: true } connection || !_mailboxes.ContainsKey(mailbox))
        {
            return; // attached when the backplane reconnects, or the agent has left
        }

        try
        {
            await mailbox.AttachAsync(connection, _topology, _declarer, Channels, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (!_stopping.IsCancellationRequested && _mailboxes.ContainsKey(mailbox))
            {
                Report($"opening the mailbox of {mailbox.Agent} failed: {e.Message}");
                if (connection.IsOpen)
                {
                    ReattachLater(mailbox);
                }
            }
        }
    }

    /// <summary>Reconnects whenever the connection is lost, until the relay stops; never gives up.</summary>
    private async Task SuperviseAsync()
    {
        try
        {
            while (true)
            {
                await _lost.WaitAsync(_stopping.Token).ConfigureAwait(false);
                var delay = TimeSpan.FromMilliseconds(100);
                while (Volatile.Read(ref _connection) is not { IsOpen: true })
                {
                    await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                    try
                    {
                        await ConnectAsync(firstTime: false, _stopping.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
                    {
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ConnectAsync(bool firstTime, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = _options.Uri,
            AutomaticRecoveryEnabled = false, // recovery is ours: mailboxes, room bindings and pending confirms are rebuilt together
            TopologyRecoveryEnabled = false,
            ClientProvidedName = "synapse-relay " + Host.RelayId,
            RequestedHeartbeat = TimeSpan.FromSeconds(15),
        };
        var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        connection.ConnectionShutdownAsync += (_, e) => OnConnectionLostAsync(connection, e.ReplyText);
        connection.ConnectionBlockedAsync += (_, e) =>
        {
            Volatile.Write(ref _blocked, 1);
            Report($"the broker blocked publishing: {e.Reason}; senders are told to retry");
            return Task.CompletedTask;
        };
        connection.ConnectionUnblockedAsync += (_, _) =>
        {
            Volatile.Write(ref _blocked, 0);
            Host.StateChanged(true, "the broker unblocked publishing");
            return Task.CompletedTask;
        };
        Volatile.Write(ref _blocked, 0);
        try
        {
            await _topologyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var setup = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await setup.ExchangeDeclareAsync(_topology.RoomsExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
                await setup.ExchangeDeclareAsync(_topology.DirectoryExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
                await setup.ExchangeDeclareAsync(_topology.ExpiredExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (firstTime)
                {
                    // What an earlier run of this relay left (room messages for members gone since, room bindings) goes.
                    await setup.QueueDeleteAsync(_relayQueue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                await setup.QueueDeclareAsync(_relayQueue, durable: true, exclusive: false, autoDelete: false, arguments: BrokerTopology.RelayQueueArguments(), cancellationToken: cancellationToken).ConfigureAwait(false);
                await setup.QueueBindAsync(_relayQueue, _topology.DirectoryExchange, "", cancellationToken: cancellationToken).ConfigureAwait(false);
                await setup.QueueBindAsync(_relayQueue, _topology.ExpiredExchange, "", cancellationToken: cancellationToken).ConfigureAwait(false);
                _boundRooms.Clear();
                foreach (var room in Host.Rooms())
                {
                    await setup.QueueBindAsync(_relayQueue, _topology.RoomsExchange, BrokerTopology.RoomKey(room), cancellationToken: cancellationToken).ConfigureAwait(false);
                    _boundRooms.Add(room);
                }

                var consuming = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await consuming.BasicQosAsync(0, 512, global: false, cancellationToken).ConfigureAwait(false);
                var consumer = new AsyncEventingBasicConsumer(consuming);
                consumer.ReceivedAsync += (_, e) => OnRelayMessageAsync(consuming, e);
                await consuming.BasicConsumeAsync(_relayQueue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);

                // Either channel closing while the connection lives on (an error the broker raised) would leave this
                // relay deaf to rooms or unable to bind them: start over with a new connection.
                setup.ChannelShutdownAsync += (_, e) => AbandonAsync(connection, e);
                consuming.ChannelShutdownAsync += (_, e) => AbandonAsync(connection, e);
                _setupChannel = setup;
                _publisher.Attach(connection);
                Volatile.Write(ref _connection, connection);
            }
            finally
            {
                _topologyLock.Release();
            }
        }
        catch
        {
            await CloseQuietlyAsync(connection).ConfigureAwait(false);
            throw;
        }

        if (!connection.IsOpen)
        {
            await OnConnectionLostAsync(connection, "closed while connecting").ConfigureAwait(false); // its shutdown event came before it was current
            return;
        }

        foreach (var mailbox in _mailboxes.Keys)
        {
            await AttachAsync(mailbox).ConfigureAwait(false);
        }

        Host.StateChanged(true, firstTime ? "connected to the broker" : "reconnected to the broker");

        // Ask the other relays for their cards (they answer to this relay's queue), and give them ours, some of which
        // may have been stored while the broker was away.
        _ = _publisher.PublishAsync(_topology.DirectoryExchange, "", MessageKinds.Persistent(MessageKinds.Sync, null, (MessageKinds.OriginHeader, Host.RelayId)), ReadOnlyMemory<byte>.Empty);
        foreach (var card in Host.LiveCards())
        {
            CardStored(card);
        }
    }

    private Task AbandonAsync(IConnection connection, ShutdownEventArgs e)
    {
        if (e.Initiator != ShutdownInitiator.Application && connection.IsOpen && !_stopping.IsCancellationRequested)
        {
            Report($"a channel of the broker connection closed ({e.ReplyText}); reconnecting");
            _ = connection.AbortAsync();
        }

        return Task.CompletedTask;
    }

    private Task OnConnectionLostAsync(IConnection connection, string reason)
    {
        if (Interlocked.CompareExchange(ref _connection, null, connection) != connection)
        {
            return Task.CompletedTask; // closed by StopAsync, an older connection, or not current yet (checked after)
        }

        _publisher.Attach(null);
        foreach (var mailbox in _mailboxes.Keys)
        {
            mailbox.Detach();
        }

        Host.StateChanged(false, $"lost the broker: {reason}");
        _ = Task.Run(() => CloseQuietlyAsync(connection));
        if (!_stopping.IsCancellationRequested)
        {
            _lost.Release();
        }

        return Task.CompletedTask;
    }

    private async Task OnRelayMessageAsync(IChannel channel, BasicDeliverEventArgs e)
    {
        try
        {
            var properties = e.BasicProperties;
            if (MessageKinds.ExpiredDirect(properties, _topology.MailboxQueue("")) is var (recipient, sender, messageId))
            {
                Host.MailExpired(recipient, sender, messageId);
            }
            else if (MessageKinds.Header(properties, MessageKinds.OriginHeader) is { } origin && origin != Host.RelayId)
            {
                switch (properties.Type)
                {
                    case MessageKinds.Room when MessageKinds.Header(properties, MessageKinds.RoomHeader) is { } room:
                        Host.DeliverToRoom(room, MessageKinds.Header(properties, MessageKinds.SenderHeader) ?? "", e.Body);
                        break;
                    case MessageKinds.Card:
                        Host.CardReceived(e.Body.ToArray());
                        break;
                    case MessageKinds.Sync when origin.Length <= 128:
                        foreach (var card in Host.LiveCards())
                        {
                            SendCard(card, "", _topology.RelayQueue(origin)); // to the relay that asked, not to all
                        }

                        break;
                }
            }
        }
        catch (Exception ex)
        {
            Report($"handling a message from another relay failed: {ex.Message}");
        }
        finally
        {
            try
            {
                await channel.BasicAckAsync(e.DeliveryTag, multiple: false).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsBrokerFailure(ex))
            {
            }
        }
    }

    /// <summary>Binds the relay's queue to a room while the room has members here, and unbinds it after; one change at a time.</summary>
    private async Task ApplyRoomChangesAsync()
    {
        await foreach (var change in _roomChanges.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _topologyLock.WaitAsync(_stopping.Token).ConfigureAwait(false);
                try
                {
                    var wanted = Host.HasMembers(change.Room);
                    if (_setupChannel is { IsOpen: true } setup && wanted != _boundRooms.Contains(change.Room))
                    {
                        var key = BrokerTopology.RoomKey(change.Room);
                        if (wanted)
                        {
                            await setup.QueueBindAsync(_relayQueue, _topology.RoomsExchange, key, cancellationToken: _stopping.Token).ConfigureAwait(false);
                            _boundRooms.Add(change.Room);
                        }
                        else
                        {
                            await setup.QueueUnbindAsync(_relayQueue, _topology.RoomsExchange, key, cancellationToken: _stopping.Token).ConfigureAwait(false);
                            _boundRooms.Remove(change.Room);
                        }
                    }
                }
                finally
                {
                    _topologyLock.Release();
                }
            }
            catch (Exception e)
            {
                if (!_stopping.IsCancellationRequested)
                {
                    Report($"updating the binding of room '{change.Room}' failed: {e.Message}"); // a failed channel means a new connection, which binds every room
                }
            }
            finally
            {
                change.Done.TrySetResult();
            }
        }
    }

    private static async Task CloseQuietlyAsync(IConnection connection)
    {
        try
        {
            await connection.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBrokerFailure(e))
        {
        }

        connection.Dispose();
    }

    private sealed record RoomChange(string Room)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
