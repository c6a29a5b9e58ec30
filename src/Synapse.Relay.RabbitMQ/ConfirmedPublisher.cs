using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Synapse.Relay.Backplane;

namespace Synapse.Relay.RabbitMQ;

/// <summary>
/// Publishes with publisher confirms, in the order messages were handed over, without waiting for one confirm before
/// the next publish: each message's task completes when the broker confirms (<see cref="BackplaneStatus.Stored"/>)
/// or refuses it (<see cref="BackplaneStatus.Full"/>: a mailbox over its limit), or when the channel is lost
/// (<see cref="BackplaneStatus.Unavailable"/>). Mailbox queues are declared before the first message to them.
/// </summary>
internal sealed class ConfirmedPublisher : IAsyncDisposable
{
    private readonly Channel<Publication> _queue = Channel.CreateUnbounded<Publication>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<ulong, Publication> _unconfirmed = [];
    private readonly Lock _lock = new();
    private readonly DeclaredQueues _declared = new();
    private readonly BrokerTopology _topology;
    private readonly Action<string> _onFailure;
    private readonly Task _loop;
    private IChannel? _channel;
    private IConnection? _connection;

    public ConfirmedPublisher(BrokerTopology topology, Action<string> onFailure)
    {
        _topology = topology;
        _onFailure = onFailure;
        _loop = Task.Run(PublishLoopAsync);
    }

    /// <summary>Queues a message; the task completes with the broker's answer.</summary>
    public Task<BackplaneStatus> PublishAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, string? mailboxQueue = null)
    {
        var publication = new Publication(exchange, routingKey, properties, body, mailboxQueue);
        if (!_queue.Writer.TryWrite(publication))
        {
            publication.Complete(BackplaneStatus.Unavailable);
        }

        return publication.Done.Task;
    }

    /// <summary>Starts publishing on a new connection: a confirm channel of its own.</summary>
    public async Task AttachAsync(IConnection connection, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _connection, connection);
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false), cancellationToken).ConfigureAwait(false);
        channel.BasicAcksAsync += (_, e) => Settle(channel, e.DeliveryTag, e.Multiple, BackplaneStatus.Stored);
        channel.BasicNacksAsync += (_, e) => Settle(channel, e.DeliveryTag, e.Multiple, BackplaneStatus.Full);
        channel.ChannelShutdownAsync += (_, e) =>
        {
            Detach(channel);
            return Task.CompletedTask;
        };
        Volatile.Write(ref _channel, channel);
    }

    /// <summary>The connection is gone: what it had not confirmed fails (its senders retry), and so does what comes until the next attach.</summary>
    public void DetachConnection()
    {
        Volatile.Write(ref _connection, null);
        Detach();
    }

    private void Detach(IChannel? channel = null)
    {
        List<Publication> failed;
        lock (_lock)
        {
            if (channel is not null && !ReferenceEquals(channel, _channel))
            {
                return;
            }

            _channel = null;
            failed = [.. _unconfirmed.Values];
            _unconfirmed.Clear();
        }

        foreach (var publication in failed)
        {
            publication.Complete(BackplaneStatus.Unavailable);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        DetachConnection();
    }

    private async Task PublishLoopAsync()
    {
        IChannel? declaredOn = null;
        await foreach (var publication in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var channel = await OpenChannelAsync().ConfigureAwait(false);
            if (channel is null)
            {
                publication.Complete(BackplaneStatus.Unavailable);
                continue;
            }

            if (!ReferenceEquals(channel, declaredOn))
            {
                _declared.Clear();
                declaredOn = channel;
            }

            try
            {
                if (publication.MailboxQueue is { } queue && !_declared.IsFresh(queue))
                {
                    await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: _topology.MailboxArguments()).ConfigureAwait(false);
                    _declared.Add(queue);
                }

                var sequence = await channel.GetNextPublishSequenceNumberAsync().ConfigureAwait(false);
                lock (_lock)
                {
                    if (!ReferenceEquals(channel, _channel))
                    {
                        publication.Complete(BackplaneStatus.Unavailable);
                        continue;
                    }

                    _unconfirmed[sequence] = publication;
                }

                await channel.BasicPublishAsync(publication.Exchange, publication.RoutingKey, mandatory: false, publication.Properties, publication.Body).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or IOException or ObjectDisposedException)
            {
                _onFailure($"publishing to '{publication.RoutingKey}' failed: {e.Message}");
                publication.Complete(BackplaneStatus.Unavailable);
                Detach(channel);
            }
        }
    }

    /// <summary>The current channel; a new one when the broker closed the last one (say, over a queue declared with
    /// other arguments) but the connection lives on.</summary>
    private async Task<IChannel?> OpenChannelAsync()
    {
        if (Volatile.Read(ref _channel) is { IsOpen: true } channel)
        {
            return channel;
        }

        if (Volatile.Read(ref _connection) is not { IsOpen: true } connection)
        {
            return null;
        }

        try
        {
            await AttachAsync(connection, CancellationToken.None).ConfigureAwait(false);
            return Volatile.Read(ref _channel);
        }
        catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or IOException or ObjectDisposedException)
        {
            _onFailure($"opening a publishing channel failed: {e.Message}");
            return null;
        }
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

    /// <summary>
    /// The mailbox queues declared lately on this connection. A declaration is repeated after a while, since a
    /// mailbox left unused for long is removed by the broker. Bounded: forgotten wholesale when full.
    /// </summary>
    private sealed class DeclaredQueues
    {
        private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(10);
        private const int MaxRemembered = 100_000;
        private readonly Dictionary<string, long> _declaredAt = new(StringComparer.Ordinal);

        public bool IsFresh(string queue) =>
            _declaredAt.TryGetValue(queue, out var at) && TimeProvider.System.GetElapsedTime(at) < Freshness;

        public void Add(string queue)
        {
            if (_declaredAt.Count >= MaxRemembered)
            {
                _declaredAt.Clear();
            }

            _declaredAt[queue] = TimeProvider.System.GetTimestamp();
        }

        public void Clear() => _declaredAt.Clear();
    }
}
