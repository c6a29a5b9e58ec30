using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Synapse.Relay.Backplane;

namespace Synapse.Relay.RabbitMQ;

/// <summary>
/// One connected agent's durable mailbox: a consumer on the agent's queue with manual acknowledgements. A message
/// is acknowledged to the broker only when the agent confirms it; when the agent leaves, the consumer is cancelled
/// and every unconfirmed message is handed back (requeued in place) for the relay the agent connects to next. If
/// the relay dies, its connection closes and the broker does the same. The queue has a single active consumer, so an
/// agent briefly connected to two relays receives each message from one of them.
/// </summary>
internal sealed class DurableMailbox(RabbitMqBackplane backplane, string agent, Action<BackplaneDelivery> deliver) : IBackplaneMailbox
{
    private readonly Dictionary<Guid, Unconfirmed> _unconfirmed = [];
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _acking = new(1, 1);
    private readonly SemaphoreSlim _attaching = new(1, 1);
    private Attachment? _attachment;
    private bool _closed;

    public string Agent => agent;

    /// <summary>Whether the mailbox is consuming on <paramref name="connection"/>.</summary>
    public bool IsAttachedTo(IConnection connection) => Volatile.Read(ref _attachment) is { } attachment && ReferenceEquals(attachment.Connection, connection);

    /// <summary>Starts consuming on <paramref name="connection"/> (when the agent connects, after a reconnect to the
    /// broker, and after the broker cancelled the consumer); nothing when already consuming there or closed.</summary>
    public async Task AttachAsync(IConnection connection, BrokerTopology topology, QueueDeclarer declarer, ConsumerChannels channels, CancellationToken cancellationToken)
    {
        await _attaching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsAttachedTo(connection) || Volatile.Read(ref _closed))
            {
                return;
            }

            var queue = topology.MailboxQueue(agent);
            await declarer.EnsureMailboxAsync(connection, queue, cancellationToken).ConfigureAwait(false);
            var channel = await channels.RentAsync(connection, cancellationToken).ConfigureAwait(false);
            var attachment = new Attachment(connection, channel);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, e) => OnDeliveredAsync(attachment, e);
            consumer.UnregisteredAsync += (_, _) => OnConsumerEndedAsync(attachment);
            consumer.ShutdownAsync += (_, _) => OnConsumerEndedAsync(attachment);
            lock (_lock)
            {
                _unconfirmed.Clear(); // what an earlier attachment delivered comes again on this one
                _attachment = attachment;
            }

            try
            {
                attachment.ConsumerTag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await channels.ReturnAsync(channel).ConfigureAwait(false);
                Interlocked.CompareExchange(ref _attachment, null, attachment);
                throw;
            }
        }
        finally
        {
            _attaching.Release();
        }
    }

    /// <summary>The connection to the broker was lost: the broker takes back what was unconfirmed by itself.</summary>
    public void Detach()
    {
        lock (_lock)
        {
            _attachment = null;
            _unconfirmed.Clear();
        }
    }

    public IReadOnlyList<BackplaneDelivery> Confirm(IEnumerable<Guid> messageIds)
    {
        Attachment? attachment;
        var tags = new List<ulong>();
        var confirmed = new List<BackplaneDelivery>();
        lock (_lock)
        {
            attachment = _attachment;
            foreach (var id in messageIds)
            {
                if (_unconfirmed.Remove(id, out var item))
                {
                    tags.Add(item.Tag);
                    confirmed.Add(new BackplaneDelivery(id, item.Sender, ReadOnlyMemory<byte>.Empty));
                }
            }
        }

        if (tags.Count > 0 && attachment is not null)
        {
            _ = SettleAsync(attachment, tags, acknowledge: true);
        }

        return confirmed;
    }

    public async ValueTask DisposeAsync()
    {
        Attachment? attachment;
        List<ulong> unconfirmed;
        lock (_lock)
        {
            _closed = true;
            attachment = _attachment;
            _attachment = null;
            unconfirmed = [.. _unconfirmed.Values.Select(item => item.Tag).Order()];
            _unconfirmed.Clear();
        }

        backplane.Forget(this);
        if (attachment is null)
        {
            return;
        }

        try
        {
            if (attachment.ConsumerTag is { } tag && attachment.Channel.IsOpen)
            {
                await attachment.Channel.BasicCancelAsync(tag).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (RabbitMqBackplane.IsBrokerFailure(e))
        {
        }

        // Handed back in order, after the acknowledgements under way: the next relay delivers them first.
        await SettleAsync(attachment, unconfirmed, acknowledge: false).ConfigureAwait(false);
        await backplane.Channels.ReturnAsync(attachment.Channel).ConfigureAwait(false);
    }

    private async Task OnDeliveredAsync(Attachment attachment, BasicDeliverEventArgs e)
    {
        if (!Guid.TryParseExact(e.BasicProperties.MessageId, "N", out var id))
        {
            // Not something a relay published: nothing an agent could confirm, so it must not block the mailbox.
            await SettleAsync(attachment, [e.DeliveryTag], acknowledge: true).ConfigureAwait(false);
            return;
        }

        var sender = MessageKinds.Header(e.BasicProperties, MessageKinds.SenderHeader) ?? "";
        bool current, duplicate = false;
        lock (_lock)
        {
            current = !_closed && ReferenceEquals(attachment, _attachment);
            if (current)
            {
                duplicate = !_unconfirmed.TryAdd(id, new Unconfirmed(e.DeliveryTag, sender));
            }
        }

        if (!current)
        {
            await SettleAsync(attachment, [e.DeliveryTag], acknowledge: false).ConfigureAwait(false); // cancelled meanwhile: back to the queue
        }
        else if (duplicate)
        {
            // A second copy (a sender's retry) while the first waits for the agent's confirmation: drop it here.
            await SettleAsync(attachment, [e.DeliveryTag], acknowledge: true).ConfigureAwait(false);
        }
        else
        {
            deliver(new BackplaneDelivery(id, sender, e.Body.ToArray()));
        }
    }

    /// <summary>The broker cancelled the consumer (its queue was deleted, a consumer timeout) or closed its channel
    /// while the connection lives on: consume again, unless the agent left.</summary>
    private Task OnConsumerEndedAsync(Attachment attachment)
    {
        lock (_lock)
        {
            if (_closed || !ReferenceEquals(attachment, _attachment))
            {
                return Task.CompletedTask;
            }

            _attachment = null;
            _unconfirmed.Clear();
        }

        backplane.ReattachLater(this);
        return Task.CompletedTask;
    }

    private async Task SettleAsync(Attachment attachment, List<ulong> tags, bool acknowledge)
    {
        await _acking.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var tag in tags)
            {
                if (acknowledge)
                {
                    await attachment.Channel.BasicAckAsync(tag, multiple: false).ConfigureAwait(false);
                }
                else
                {
                    await attachment.Channel.BasicNackAsync(tag, multiple: false, requeue: true).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (RabbitMqBackplane.IsBrokerFailure(e))
        {
            // The channel closed first: the broker delivers these again, and the agent drops the copies it already had.
        }
        finally
        {
            _acking.Release();
        }
    }

    /// <summary>One consumer on one channel.</summary>
    private sealed class Attachment(IConnection connection, IChannel channel)
    {
        public IConnection Connection { get; } = connection;

        public IChannel Channel { get; } = channel;

        public string? ConsumerTag { get; set; }
    }

    private readonly record struct Unconfirmed(ulong Tag, string Sender);
}
