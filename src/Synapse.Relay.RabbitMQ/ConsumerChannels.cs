using RabbitMQ.Client;

namespace Synapse.Relay.RabbitMQ;

/// <summary>
/// The channels mailbox consumers share: a connection has at most 2047 channels, and a relay has more agents than
/// that. Each channel carries up to <see cref="ConsumersPerChannel"/> consumers, each with its own prefetch.
/// </summary>
internal sealed class ConsumerChannels(ushort prefetch)
{
    /// <summary>Consumers on one channel: an error the broker raises on a channel stops this many mailboxes at once (they re-attach).</summary>
    public const int ConsumersPerChannel = 128;

    private readonly List<Shared> _channels = [];
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>A channel on <paramref name="connection"/> with room for one more consumer.</summary>
    public async Task<IChannel> RentAsync(IConnection connection, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _channels.RemoveAll(shared => !shared.Channel.IsOpen || !ReferenceEquals(shared.Connection, connection));
            var free = _channels.Find(shared => shared.Consumers < ConsumersPerChannel);
            if (free is null)
            {
                var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await channel.BasicQosAsync(0, prefetch, global: false, cancellationToken).ConfigureAwait(false); // per consumer
                free = new Shared(connection, channel);
                _channels.Add(free);
            }

            free.Consumers++;
            return free.Channel;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>A consumer left <paramref name="channel"/>.</summary>
    public async Task ReturnAsync(IChannel channel)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_channels.Find(shared => ReferenceEquals(shared.Channel, channel)) is { } shared)
            {
                shared.Consumers--;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private sealed class Shared(IConnection connection, IChannel channel)
    {
        public IConnection Connection { get; } = connection;

        public IChannel Channel { get; } = channel;

        public int Consumers { get; set; }
    }
}
