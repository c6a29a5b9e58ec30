using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Synapse.Relay.Backplane;

namespace Synapse.Relay.RabbitMQ;

/// <summary>
/// One connected agent's durable mailbox: a consumer on the agent's queue, on a channel of its own, with manual
/// acknowledgements. A message is acknowledged to the broker only when the agent confirms it; closing the channel
/// (the agent left, the relay stopped or died) hands every unconfirmed message back to the queue, in order, for the
/// relay the agent connects to next. The queue has a single active consumer, so an agent briefly connected to two
/// relays still receives each message from one of them.
/// </summary>
internal sealed class DurableMailbox(RabbitMqBackplane backplane, string agent, Action<BackplaneDelivery> deliver) : IBackplaneMailbox
{
    private readonly Dictionary<Guid, Unconfirmed> _unconfirmed = [];
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _acking = new(1, 1);
    private readonly SemaphoreSlim _attaching = new(1, 1);
    private IConnection? _attachedTo;
    private IChannel? _channel;
    private bool _closed;

    public string Agent => agent;

    /// <summary>Starts consuming on <paramref name="connection"/> (when the agent connects, and after a reconnect to the broker).</summary>
    public async Task AttachAsync(IConnection connection, BrokerTopology topology, CancellationToken cancellationToken)
    {
        await _attaching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(Volatile.Read(ref _attachedTo), connection) && !Volatile.Read(ref _closed))
            {
                await ConsumeAsync(connection, topology, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _attachedTo, connection);
            }
        }
        finally
        {
            _attaching.Release();
        }
    }

    private async Task ConsumeAsync(IConnection connection, BrokerTopology topology, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await channel.BasicQosAsync(0, topology.MailboxPrefetch, global: false, cancellationToken).ConfigureAwait(false);
            var queue = topology.MailboxQueue(agent);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: topology.MailboxArguments(), cancellationToken: cancellationToken).ConfigureAwait(false);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, e) => OnDeliveredAsync(channel, e);
            lock (_lock)
            {
                if (_closed)
                {
                    throw new OperationCanceledException();
                }

                _channel = channel;
                _unconfirmed.Clear();
            }

            await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await CloseQuietlyAsync(channel).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The connection to the broker was lost: the broker takes back what was unconfirmed by itself.</summary>
    public void Detach()
    {
        Volatile.Write(ref _attachedTo, null);
        lock (_lock)
        {
            _channel = null;
            _unconfirmed.Clear();
        }
    }

    public IReadOnlyList<BackplaneDelivery> Confirm(IEnumerable<Guid> messageIds)
    {
        IChannel? channel;
        var confirmed = new List<Unconfirmed>();
        lock (_lock)
        {
            channel = _channel;
            foreach (var id in messageIds)
            {
                if (_unconfirmed.Remove(id, out var item))
                {
                    confirmed.Add(item);
                }
            }
        }

        if (confirmed.Count == 0 || channel is null)
        {
            return [];
        }

        _ = AckAsync(channel, confirmed);
        return [.. confirmed.Select(item => item.Delivery)];
    }

    public async ValueTask DisposeAsync()
    {
        IChannel? channel;
        lock (_lock)
        {
            _closed = true;
            channel = _channel;
            _channel = null;
            _unconfirmed.Clear();
        }

        backplane.Forget(this);
        await _acking.WaitAsync().ConfigureAwait(false); // acknowledgements under way go out before the close gives the rest back
        try
        {
            if (channel is not null)
            {
                await CloseQuietlyAsync(channel).ConfigureAwait(false);
            }
        }
        finally
        {
            _acking.Release();
        }
    }

    private Task OnDeliveredAsync(IChannel channel, BasicDeliverEventArgs e)
    {
        if (!Guid.TryParseExact(e.BasicProperties.MessageId, "N", out var id))
        {
            // Not something a relay published: nothing an agent could confirm, so it must not block the mailbox.
            return channel.BasicAckAsync(e.DeliveryTag, multiple: false).AsTask();
        }

        var delivery = new BackplaneDelivery(id, MessageKinds.Header(e.BasicProperties, MessageKinds.SenderHeader) ?? "", e.Body.ToArray());
        lock (_lock)
        {
            if (_closed || !ReferenceEquals(channel, _channel))
            {
                return Task.CompletedTask; // the channel is closing: the broker gives this one back
            }

            _unconfirmed[id] = new Unconfirmed(e.DeliveryTag, delivery);
        }

        deliver(delivery);
        return Task.CompletedTask;
    }

    private async Task AckAsync(IChannel channel, List<Unconfirmed> confirmed)
    {
        await _acking.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var item in confirmed)
            {
                await channel.BasicAckAsync(item.Tag, multiple: false).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or IOException or ObjectDisposedException)
        {
            // The channel closed first: the broker delivers these again, and the agent drops the copies it already had.
        }
        finally
        {
            _acking.Release();
        }
    }

    internal static async Task CloseQuietlyAsync(IChannel channel)
    {
        try
        {
            await channel.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or IOException or ObjectDisposedException)
        {
        }

        channel.Dispose();
    }

    private readonly record struct Unconfirmed(ulong Tag, BackplaneDelivery Delivery);
}
