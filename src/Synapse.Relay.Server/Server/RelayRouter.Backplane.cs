using Synapse.Relay.Backplane;

namespace Synapse.Relay.Server;

/// <summary>
/// Routing with a backplane: direct messages go to the recipient's durable mailbox in the broker (whatever relay the
/// recipient uses), and the sender is acknowledged once the broker holds the message; room messages reach this
/// relay's members at once and the other relays' members through the broker.
/// </summary>
internal sealed partial class RelayRouter
{
    private Task StoreThroughBackplaneAsync(IRelayBackplane backplane, AgentSession sender, Guid messageId, string recipient, ReadOnlyMemory<byte> encoded) =>
        HandOverAsync(sender, messageId, encoded.Length, recipient, room: null, localFanOut: 0,
            () => backplane.StoreDirectAsync(recipient, sender.Identity, messageId, RelayFrame.EncodeDeliver(encoded.Span)));

    // Members here already have a room message; a retry reaches the other relays' members, and receivers drop the copy.
    private Task PublishThroughBackplaneAsync(IRelayBackplane backplane, AgentSession sender, Guid messageId, string room, byte[] frame, int size, int localFanOut) =>
        HandOverAsync(sender, messageId, size, recipient: null, room, localFanOut,
            () => backplane.PublishToRoomAsync(room, sender.Identity, messageId, frame));

    /// <summary>Hands a message to the broker and answers its sender: acknowledged once the broker holds it, else told to retry.</summary>
    private async Task HandOverAsync(AgentSession sender, Guid messageId, int size, string? recipient, string? room, int localFanOut, Func<ValueTask<BackplaneStatus>> handOver)
    {
        // Until the broker confirms, the message counts toward its sender's backpressure, as a queued one would.
        sender.HeldElsewhere(size);
        BackplaneStatus status;
        try
        {
            status = await handOver().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            status = Failed(e);
        }
        finally
        {
            sender.ReleasedElsewhere(size);
        }

        if (status == BackplaneStatus.Stored)
        {
            var online = recipient is null ? localFanOut > 0 : _agents.ContainsKey(recipient);
            server.Events.Routed(sender, messageId, recipient, room, size, online);
            sender.Enqueue(new RelayFrame { Op = RelayOp.Ack, MessageId = messageId }.Encode());
        }
        else
        {
            RefuseForBackplane(sender, messageId, status);
        }
    }

    /// <summary>A backplane that throws instead of answering: the sender is told to retry, and the log says why.</summary>
    private BackplaneStatus Failed(Exception e)
    {
        server.Events.Backplane(false, $"the backplane failed: {e.GetType().Name}: {e.Message}");
        return BackplaneStatus.Unavailable;
    }

    private void RefuseForBackplane(AgentSession sender, Guid messageId, BackplaneStatus status)
    {
        var (code, text) = status == BackplaneStatus.Full
            ? ("mailbox_full", "the recipient's mailbox is full; try again later")
            : ("backplane_unavailable", "the relays' broker is unreachable or did not confirm the message; try again later");
        server.Events.Refused(sender, messageId, code);
        sender.Enqueue(RelayFrame.Nack(messageId, code, text, retry: true));
    }

    private void OpenBackplaneMailbox(IRelayBackplane backplane, AgentSession session) =>
        Volatile.Write(ref session.BackplaneMailbox, backplane.OpenMailbox(session.Identity, delivery => session.Enqueue(delivery.Frame)));

    private void CloseBackplaneMailbox(AgentSession session)
    {
        if (Interlocked.Exchange(ref session.BackplaneMailbox, null) is { } mailbox)
        {
            _ = mailbox.DisposeAsync().AsTask(); // whatever the agent did not confirm goes back to the broker's queue
        }
    }
}
