using Synapse.Relay.Backplane;

namespace Synapse.Relay.Server;

/// <summary>
/// Mail in a broker several relays share (<see cref="IRelayBackplane"/>): direct messages go to the recipient's durable
/// mailbox whatever relay it uses, and are <see cref="MailStatus.Stored"/> once the broker confirms them; the broker
/// delivers to the relay the recipient is connected to. Room messages reach the other relays' members through it.
/// Nothing is held in this relay's memory, and the broker's time-to-live drops mail without a notice.
/// </summary>
internal sealed class BackplaneMailStore(IRelayBackplane backplane, RelayStatistics statistics, Action<string> failed) : IRelayMailStore
{
    public long StoredBytes => 0;

    public ValueTask<MailStatus> StoreAsync(string recipient, MailItem item) =>
        HandOver(() => backplane.StoreDirectAsync(recipient, item.Sender, item.MessageId, item.Frame));

    public IOpenMailbox Open(string agent, MailSink deliver) =>
        new Reader(backplane.OpenMailbox(agent, delivery => deliver(delivery.MessageId, delivery.Frame, null)));

    public void Deliver(string recipient, RelayLink? origin = null)
    {
        // The broker delivers on its own, a few messages ahead of the recipient's confirmations.
    }

    public ValueTask<MailStatus> ForwardToRoomAsync(string room, string sender, Guid messageId, ReadOnlyMemory<byte> deliverFrame) =>
        HandOver(() => backplane.PublishToRoomAsync(room, sender, messageId, deliverFrame));

    public Task RoomChanged(string room) => backplane.RoomMembershipChanged(room);

    public IReadOnlyList<ExpiredMail> Expire(DateTimeOffset cutoff) => [];

    public IReadOnlyList<MailItem> MailFor(string agent) => [];

    public IEnumerable<MailItem> AllMail() => [];

    /// <summary>Hands a message to the broker; a backplane that throws instead of answering is unavailable, and logged.</summary>
    private ValueTask<MailStatus> HandOver(Func<ValueTask<BackplaneStatus>> handOver)
    {
        ValueTask<BackplaneStatus> pending;
        try
        {
            pending = handOver();
        }
        catch (Exception e)
        {
            return new(Failed(e));
        }

        return pending.IsCompletedSuccessfully ? new(StatusOf(pending.Result)) : AwaitAsync(pending);
    }

    private async ValueTask<MailStatus> AwaitAsync(ValueTask<BackplaneStatus> pending)
    {
        try
        {
            return StatusOf(await pending.ConfigureAwait(false));
        }
        catch (Exception e)
        {
            return Failed(e);
        }
    }

    private MailStatus Failed(Exception e)
    {
        failed($"the backplane failed: {e.GetType().Name}: {e.Message}");
        Interlocked.Increment(ref statistics.BackplaneRefusedValue);
        return MailStatus.Unavailable;
    }

    private MailStatus StatusOf(BackplaneStatus status)
    {
        Interlocked.Increment(ref status == BackplaneStatus.Stored ? ref statistics.BackplaneHandedOverValue : ref statistics.BackplaneRefusedValue);
        return status switch
        {
            BackplaneStatus.Stored => MailStatus.Stored,
            BackplaneStatus.Full => MailStatus.MailboxFull,
            _ => MailStatus.Unavailable,
        };
    }

    private sealed class Reader(IBackplaneMailbox durable) : IOpenMailbox
    {
        private int _closed;

        public IReadOnlyList<ConfirmedMail> Confirm(IEnumerable<Guid> messageIds) => Volatile.Read(ref _closed) != 0 ? []
            : [.. durable.Confirm(messageIds).Select(delivery => new ConfirmedMail(delivery.MessageId, delivery.Sender, SenderWaits: false))];

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                _ = durable.DisposeAsync().AsTask(); // whatever the agent did not confirm goes back to the broker's queue
            }
        }
    }
}
