using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Synapse.Relay.RabbitMQ;

/// <summary>
/// Declares agents' mailbox queues before the first message to them and before consuming them, on a channel of its
/// own: a declaration the broker refuses (a queue that exists with other arguments, because relays disagree on
/// mailbox settings) closes only that channel, and the queue is then used as it is. Remembers lately declared queues,
/// and declares again after a while, since a mailbox left unused for long is removed by the broker.
/// </summary>
internal sealed class QueueDeclarer(BrokerTopology topology, Action<string> report)
{
    private const int AccessRefused = 403;
    private const int PreconditionFailed = 406;
    private const int MaxRemembered = 100_000;
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(10);
    private readonly Dictionary<string, long> _declaredAt = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private IChannel? _channel;
    private IConnection? _channelConnection;

    /// <summary>Declares <paramref name="queue"/> on <paramref name="connection"/> unless it was declared lately.</summary>
    public async Task EnsureMailboxAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(_channelConnection, connection) && _declaredAt.TryGetValue(queue, out var at) && TimeProvider.System.GetElapsedTime(at) < Freshness)
            {
                return;
            }

            var channel = await ChannelAsync(connection, cancellationToken).ConfigureAwait(false);
            try
            {
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: topology.MailboxArguments(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode is PreconditionFailed or AccessRefused)
            {
                report($"mailbox queue '{queue}' exists with other arguments (do all relays have the same mailbox settings?): {e.ShutdownReason?.ReplyText}");
                channel = await ChannelAsync(connection, cancellationToken).ConfigureAwait(false);
                await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false);
            }

            if (_declaredAt.Count >= MaxRemembered)
            {
                _declaredAt.Clear();
            }

            _declaredAt[queue] = TimeProvider.System.GetTimestamp();
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<IChannel> ChannelAsync(IConnection connection, CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } open && ReferenceEquals(_channelConnection, connection))
        {
            return open;
        }

        _channel?.Dispose();
        _declaredAt.Clear();
        _channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        _channelConnection = connection;
        return _channel;
    }
}
