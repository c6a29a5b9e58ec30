using System.Collections.Concurrent;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Synapse.Relay.Backplane;

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
    private readonly BackplaneOptions _options;
    private readonly BrokerTopology _topology;
    private readonly ConfirmedPublisher _publisher;
    private readonly ConcurrentDictionary<DurableMailbox, byte> _mailboxes = new();
    private readonly Channel<RoomChange> _roomChanges = Channel.CreateUnbounded<RoomChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _boundRooms = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _topologyLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private IRelayBackplaneHost? _host;
    private IConnection? _connection;
    private IChannel? _setupChannel;
    private string _relayQueue = "";
    private Task _roomWorker = Task.CompletedTask;
    private int _reconnecting;

    /// <summary>Creates the backplane a relay with <paramref name="options"/> uses.</summary>
    /// <param name="options">The relay's configuration: <see cref="RelayOptions.Backplane"/> must be set, and
    /// <see cref="RelayOptions.Mailbox"/> gives the limits of the durable mailboxes.</param>
    public RabbitMqBackplane(RelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Backplane ?? throw new ArgumentException("The relay options have no backplane section.", nameof(options));
        options.Validate();
        _topology = new BrokerTopology(_options, options.Mailbox);
        _publisher = new ConfirmedPublisher(_topology, detail => _host?.StateChanged(false, detail));
    }

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
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or IOException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException($"The relay backplane could not reach the broker at {_options.Uri.Scheme}://{_options.Uri.Host}:{_options.Uri.Port}: {e.Message}", e);
        }

        _roomWorker = Task.Run(ApplyRoomChangesAsync, CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _roomChanges.Writer.TryComplete();
        await _roomWorker.ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            try
            {
                await connection.CloseAsync().ConfigureAwait(false); // unconfirmed mail goes back to its queues
            }
            catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or IOException)
            {
            }

            connection.Dispose();
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
        var queue = _topology.MailboxQueue(recipient);
        var properties = MessageKinds.Persistent(MessageKinds.Direct, messageId.ToString("N"), (MessageKinds.SenderHeader, sender));
        return WithinConfirmTimeoutAsync(_publisher.PublishAsync("", queue, properties, deliverFrame, mailboxQueue: queue));
    }

    /// <inheritdoc />
    public async ValueTask<BackplaneStatus> PublishToRoomAsync(string room, string sender, Guid messageId, ReadOnlyMemory<byte> deliverFrame)
    {
        var properties = MessageKinds.Persistent(MessageKinds.Room, messageId.ToString("N"),
            (MessageKinds.OriginHeader, Host.RelayId), (MessageKinds.SenderHeader, sender), (MessageKinds.RoomHeader, room));
        var status = await WithinConfirmTimeoutAsync(_publisher.PublishAsync(_topology.RoomsExchange, BrokerTopology.RoomKey(room), properties, deliverFrame)).ConfigureAwait(false);
        return status == BackplaneStatus.Full ? BackplaneStatus.Unavailable : status; // no room queue has a limit the sender could wait out
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
    public void CardStored(ReadOnlyMemory<byte> encodedCard) => ShareCard(encodedCard);

    internal void Forget(DurableMailbox mailbox) => _mailboxes.TryRemove(mailbox, out _);

    private void ShareCard(ReadOnlyMemory<byte> encodedCard) =>
        _ = _publisher.PublishAsync(_topology.DirectoryExchange, "", MessageKinds.Persistent(MessageKinds.Card, null, (MessageKinds.OriginHeader, Host.RelayId)), encodedCard);

    private async ValueTask<BackplaneStatus> WithinConfirmTimeoutAsync(Task<BackplaneStatus> confirmation)
    {
        try
        {
            return await confirmation.WaitAsync(_options.ConfirmTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return BackplaneStatus.Unavailable;
        }
    }

    private async Task AttachAsync(DurableMailbox mailbox)
    {
        if (Volatile.Read(ref _connection) is not { IsOpen: true } connection)
        {
            return; // attached when the backplane reconnects
        }

        try
        {
            await mailbox.AttachAsync(connection, _topology, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            if (!_stopping.IsCancellationRequested && _mailboxes.ContainsKey(mailbox))
            {
                _host?.StateChanged(false, $"opening the mailbox of {mailbox.Agent} failed: {e.Message}");
            }
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
        await _topologyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var setup = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await setup.ExchangeDeclareAsync(_topology.RoomsExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            await setup.ExchangeDeclareAsync(_topology.DirectoryExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            await setup.QueueDeclareAsync(_relayQueue, durable: true, exclusive: false, autoDelete: false, arguments: BrokerTopology.RelayQueueArguments(), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (firstTime)
            {
                // Room messages left from an earlier run of this relay were for members that have gone since.
                await setup.QueuePurgeAsync(_relayQueue, cancellationToken).ConfigureAwait(false);
            }

            await setup.QueueBindAsync(_relayQueue, _topology.DirectoryExchange, "", cancellationToken: cancellationToken).ConfigureAwait(false);
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

            await _publisher.AttachAsync(connection, cancellationToken).ConfigureAwait(false);
            connection.ConnectionShutdownAsync += (_, e) => OnConnectionLostAsync(connection, e);
            _setupChannel = setup;
            Volatile.Write(ref _connection, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        finally
        {
            _topologyLock.Release();
        }

        foreach (var mailbox in _mailboxes.Keys)
        {
            await AttachAsync(mailbox).ConfigureAwait(false);
        }

        Host.StateChanged(true, firstTime ? "connected to the broker" : "reconnected to the broker");

        // Ask the other relays for their cards, and give them ours (some may have been stored while the broker was away).
        _ = _publisher.PublishAsync(_topology.DirectoryExchange, "", MessageKinds.Persistent(MessageKinds.Sync, null, (MessageKinds.OriginHeader, Host.RelayId)), ReadOnlyMemory<byte>.Empty);
        foreach (var card in Host.LiveCards())
        {
            ShareCard(card);
        }
    }

    private Task OnConnectionLostAsync(IConnection connection, ShutdownEventArgs e)
    {
        if (Interlocked.CompareExchange(ref _connection, null, connection) != connection)
        {
            return Task.CompletedTask; // closed by StopAsync, or an older connection
        }

        _publisher.DetachConnection();
        foreach (var mailbox in _mailboxes.Keys)
        {
            mailbox.Detach();
        }

        Host.StateChanged(false, $"lost the broker: {e.ReplyText}");
        if (!_stopping.IsCancellationRequested && Interlocked.Exchange(ref _reconnecting, 1) == 0)
        {
            _ = Task.Run(ReconnectAsync);
        }

        return Task.CompletedTask;
    }

    private async Task ReconnectAsync()
    {
        var delay = TimeSpan.FromMilliseconds(100);
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                try
                {
                    await ConnectAsync(firstTime: false, _stopping.Token).ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or IOException or System.Net.Sockets.SocketException)
                {
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Volatile.Write(ref _reconnecting, 0);
        }
    }

    private async Task OnRelayMessageAsync(IChannel channel, BasicDeliverEventArgs e)
    {
        var properties = e.BasicProperties;
        if (MessageKinds.Header(properties, MessageKinds.OriginHeader) is { } origin && origin != Host.RelayId)
        {
            switch (properties.Type)
            {
                case MessageKinds.Room when MessageKinds.Header(properties, MessageKinds.RoomHeader) is { } room:
                    Host.DeliverToRoom(room, MessageKinds.Header(properties, MessageKinds.SenderHeader) ?? "", e.Body);
                    break;
                case MessageKinds.Card:
                    Host.CardReceived(e.Body.ToArray());
                    break;
                case MessageKinds.Sync:
                    foreach (var card in Host.LiveCards())
                    {
                        ShareCard(card);
                    }

                    break;
            }
        }

        try
        {
            await channel.BasicAckAsync(e.DeliveryTag, multiple: false).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationInterruptedException or AlreadyClosedException or IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Binds the relay's queue to a room while the room has members here, and unbinds it after; one change at a time.</summary>
    private async Task ApplyRoomChangesAsync()
    {
        await foreach (var change in _roomChanges.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _topologyLock.WaitAsync().ConfigureAwait(false);
            try
            {
                var wanted = Host.HasMembers(change.Room);
                if (_setupChannel is { IsOpen: true } setup && wanted != _boundRooms.Contains(change.Room))
                {
                    var key = BrokerTopology.RoomKey(change.Room);
                    if (wanted)
                    {
                        await setup.QueueBindAsync(_relayQueue, _topology.RoomsExchange, key).ConfigureAwait(false);
                        _boundRooms.Add(change.Room);
                    }
                    else
                    {
                        await setup.QueueUnbindAsync(_relayQueue, _topology.RoomsExchange, key).ConfigureAwait(false);
                        _boundRooms.Remove(change.Room);
                    }
                }
            }
            catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or IOException or ObjectDisposedException)
            {
                Host.StateChanged(false, $"updating the binding of room '{change.Room}' failed: {e.Message}"); // redone on reconnect
            }
            finally
            {
                _topologyLock.Release();
                change.Done.TrySetResult();
            }
        }
    }

    private sealed record RoomChange(string Room)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
