using System.Threading.Channels;
using RabbitMQ.Client;
using Synapse.Relay.Backplane;

namespace Synapse.Relay.RabbitMQ;

/// <summary>
/// Publishes with publisher confirms, in the order messages were handed over, without waiting for one confirm before
/// the next publish: each message's task completes when the broker confirms (<see cref="BackplaneStatus.Stored"/>)
/// or refuses it (<see cref="BackplaneStatus.Full"/>: a queue over its limit), or when the channel is lost or the
/// message's deadline passed before it could be published (<see cref="BackplaneStatus.Unavailable"/>: its sender
/// retries, so a late publish would only make a copy). Mailbox queues are declared before the first message to them.
/// </summary>
internal sealed class ConfirmedPublisher : IAsyncDisposable
{
    /// <summary>Messages waiting to be published; beyond it senders are told to retry.</summary>
    public const int MaxQueued = 100_000;

    private readonly Channel<Publication> _queue = Channel.CreateBounded<Publication>(new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Dictionary<ulong, Publication> _unconfirmed = [];
    private readonly Lock _lock = new();
    private readonly QueueDeclarer _declarer;
    private readonly Action<string> _report;
    private readonly TimeSpan _deadline;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private IConnection? _connection;
    private IChannel? _channel;

    public ConfirmedPublisher(QueueDeclarer declarer, TimeSpan deadline, Action<string> report)
    {
        _declarer = declarer;
        _deadline = deadline;
        _report = report;
        _loop = Task.Run(PublishLoopAsync);
    }

    /// <summary>Queues a message; the task completes with the broker's answer, within the deadline.</summary>
    public async Task<BackplaneStatus> PublishAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, string? mailboxQueue = null)
    {
        var publication = new Publication(exchange, routingKey, properties, body, mailboxQueue);
        if (!_queue.Writer.TryWrite(publication))
        {
            return BackplaneStatus.Unavailable;
        }

        try
        {
            return await publication.Done.Task.WaitAsync(_deadline).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            publication.Complete(BackplaneStatus.Unavailable); // not published yet: it never will be
            return BackplaneStatus.Unavailable;
        }
    }

    /// <summary>Publishes on <paramref name="connection"/> from now on (null: the connection was lost); what the
    /// previous channel had not confirmed fails, and its senders retry.</summary>
    public void Attach(IConnection? connection)
    {
        IChannel? previous;
        lock (_lock)
        {
            _connection = connection;
            previous = SwapChannelLocked(null);
        }

        previous?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Attach(null);
        _stopping.Dispose();
    }

    private async Task PublishLoopAsync()
    {
        await foreach (var publication in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (publication.Done.Task.IsCompleted || _stopping.IsCancellationRequested)
            {
                publication.Complete(BackplaneStatus.Unavailable); // its sender was told to retry: publishing it now would make a copy
                continue;
            }

            IChannel? channel = null;
            try
            {
                channel = await OpenChannelAsync().ConfigureAwait(false);
                if (channel is null)
                {
                    publication.Complete(BackplaneStatus.Unavailable);
                    continue;
                }

                if (publication.MailboxQueue is { } queue)
                {
                    await _declarer.EnsureMailboxAsync(Volatile.Read(ref _connection)!, queue, _stopping.Token).ConfigureAwait(false);
                }

                var sequence = await channel.GetNextPublishSequenceNumberAsync(_stopping.Token).ConfigureAwait(false);
                lock (_lock)
                {
                    if (!ReferenceEquals(channel, _channel) || publication.Done.Task.IsCompleted)
                    {
                        publication.Complete(BackplaneStatus.Unavailable);
                        continue;
                    }

                    _unconfirmed[sequence] = publication;
                }

                await channel.BasicPublishAsync(publication.Exchange, publication.RoutingKey, mandatory: false, publication.Properties, publication.Body, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (e is not OperationCanceledException)
                {
                    _report($"publishing to '{publication.RoutingKey}' failed: {e.Message}");
                }

                publication.Complete(BackplaneStatus.Unavailable);
                if (channel is not null)
                {
                    lock (_lock)
                    {
                        if (ReferenceEquals(channel, _channel))
                        {
                            SwapChannelLocked(null);
                        }
                    }

                    channel.Dispose();
                }
            }
        }
    }

    /// <summary>The current channel, or a new one on the current connection (the first, or after the broker closed
    /// the last one while the connection lived on); null without a connection.</summary>
    private async Task<IChannel?> OpenChannelAsync()
    {
        IConnection? connection;
        lock (_lock)
        {
            if (_channel is { IsOpen: true } open)
            {
                return open;
            }

            connection = _connection;
        }

        if (connection is not { IsOpen: true })
        {
            return null;
        }

        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false), _stopping.Token).ConfigureAwait(false);
        channel.BasicAcksAsync += (_, e) => Settle(channel, e.DeliveryTag, e.Multiple, BackplaneStatus.Stored);
        channel.BasicNacksAsync += (_, e) => Settle(channel, e.DeliveryTag, e.Multiple, BackplaneStatus.Full);
        channel.ChannelShutdownAsync += (_, _) =>
        {
            lock (_lock)
            {
                if (ReferenceEquals(channel, _channel))
                {
                    SwapChannelLocked(null);
                }
            }

            return Task.CompletedTask;
        };
        IChannel? previous;
        lock (_lock)
        {
            if (!ReferenceEquals(connection, _connection))
            {
                channel.Dispose();
                return null; // the connection changed meanwhile
            }

            previous = SwapChannelLocked(channel);
        }

        previous?.Dispose();
        return channel;
    }

    /// <summary>Replaces the channel; every publication the old one had not confirmed fails (sequence numbers start
    /// again on a new channel). Returns the old channel.</summary>
    private IChannel? SwapChannelLocked(IChannel? channel)
    {
        var previous = _channel;
        _channel = channel;
        foreach (var publication in _unconfirmed.Values)
        {
            publication.Complete(BackplaneStatus.Unavailable);
        }

        _unconfirmed.Clear();
        return previous;
    }

    private Task Settle(IChannel channel, ulong tag, bool multiple, BackplaneStatus status)
    {
        List<Publication> settled = [];
        lock (_lock)
        {
            if (!ReferenceEquals(channel, _channel))
            {
                return Task.CompletedTask;
            }

            if (multiple)
            {
                foreach (var sequence in _unconfirmed.Keys.Where(sequence => sequence <= tag).ToList())
                {
                    _unconfirmed.Remove(sequence, out var publication);
                    settled.Add(publication!);
                }
            }
            else if (_unconfirmed.Remove(tag, out var publication))
            {
                settled.Add(publication);
            }
        }

        foreach (var publication in settled)
        {
            publication.Complete(status);
        }

        return Task.CompletedTask;
    }

    private sealed record Publication(string Exchange, string RoutingKey, BasicProperties Properties, ReadOnlyMemory<byte> Body, string? MailboxQueue)
    {
        public TaskCompletionSource<BackplaneStatus> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Complete(BackplaneStatus status) => Done.TrySetResult(status);
    }
}
