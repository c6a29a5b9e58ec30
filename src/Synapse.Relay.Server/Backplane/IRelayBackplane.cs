namespace Synapse.Relay.Backplane;

/// <summary>
/// A broker that several relays share (see <c>docs/relay-backplane.md</c>). With one, a relay stores direct messages
/// in durable per-agent mailboxes held by the broker (whichever relay the recipient is connected to delivers them),
/// forwards room messages to the other relays with members in the room, and shares agent cards. The relay calls these
/// members from its I/O paths: they must not block.
/// </summary>
public interface IRelayBackplane : IAsyncDisposable
{
    /// <summary>Connects to the broker and starts delivering to <paramref name="host"/>; throws when the broker cannot be reached.</summary>
    Task StartAsync(IRelayBackplaneHost host, CancellationToken cancellationToken);

    /// <summary>Stops delivering; messages not confirmed by agents stay with the broker for the next relay.</summary>
    Task StopAsync();

    /// <summary>
    /// Stores a direct message in <paramref name="recipient"/>'s durable mailbox; completes once the broker holds it
    /// (or refused it). Messages are handed to the broker in the order of the calls.
    /// </summary>
    /// <param name="recipient">The recipient's agent id (did:key text).</param>
    /// <param name="sender">The sender's agent id.</param>
    /// <param name="messageId">The envelope's message id.</param>
    /// <param name="deliverFrame">The frame the recipient's relay writes to it, as is.</param>
    ValueTask<BackplaneStatus> StoreDirectAsync(string recipient, string sender, Guid messageId, ReadOnlyMemory<byte> deliverFrame);

    /// <summary>
    /// Starts delivering <paramref name="agent"/>'s mailbox to <paramref name="deliver"/>, a few messages ahead of the
    /// agent's confirmations. Disposing the returned mailbox hands what is unconfirmed back to the broker.
    /// </summary>
    IBackplaneMailbox OpenMailbox(string agent, Action<BackplaneDelivery> deliver);

    /// <summary>Sends a room message to the other relays; completes once the broker holds it.</summary>
    ValueTask<BackplaneStatus> PublishToRoomAsync(string room, string sender, Guid messageId, ReadOnlyMemory<byte> deliverFrame);

    /// <summary>
    /// An agent on this relay joined or left <paramref name="room"/>: the backplane asks
    /// <see cref="IRelayBackplaneHost.HasMembers"/> and receives the room's messages from other relays only while it
    /// has members here.
    /// </summary>
    /// <returns>Completes when the broker reflects the change (or failed to; a reconnect repairs it).</returns>
    Task RoomMembershipChanged(string room);

    /// <summary>A signed agent card was stored in this relay's directory: share it with the other relays.</summary>
    void CardStored(ReadOnlyMemory<byte> encodedCard);
}

/// <summary>What the relay offers its backplane: where messages and cards from other relays go.</summary>
public interface IRelayBackplaneHost
{
    /// <summary>The relay's agent id: names its queue, and marks what it published so it does not come back to it.</summary>
    string RelayId { get; }

    /// <summary>Fans a room message from another relay out to this relay's members of the room (except the sender).</summary>
    void DeliverToRoom(string room, string sender, ReadOnlyMemory<byte> deliverFrame);

    /// <summary>A card another relay stored: verified again and stored here if it is valid and newer.</summary>
    void CardReceived(ReadOnlyMemory<byte> encodedCard);

    /// <summary>
    /// A direct message from <paramref name="sender"/> expired in the shared store before <paramref name="recipient"/>
    /// collected it. Every relay hears it; the one the sender is connected to tells it <c>expired</c>.
    /// </summary>
    void MailExpired(string recipient, string sender, Guid messageId);

    /// <summary>Whether agents on this relay are members of <paramref name="room"/>.</summary>
    bool HasMembers(string room);

    /// <summary>The rooms with members on this relay.</summary>
    IEnumerable<string> Rooms();

    /// <summary>The live cards of this relay's directory, for a relay that just joined.</summary>
    IEnumerable<ReadOnlyMemory<byte>> LiveCards();

    /// <summary>Reports the backplane's state changes (connected, lost, reconnected) for the relay's log.</summary>
    void StateChanged(bool available, string detail);
}

/// <summary>The outcome of handing a message to the broker.</summary>
public enum BackplaneStatus
{
    /// <summary>The broker holds the message.</summary>
    Stored,

    /// <summary>The recipient's mailbox is full; the sender may retry later.</summary>
    Full,

    /// <summary>The broker is unreachable or did not confirm in time; the sender may retry later.</summary>
    Unavailable,
}

/// <summary>A direct message the broker hands to the relay the recipient is connected to.</summary>
/// <param name="MessageId">The envelope's message id: what the recipient confirms.</param>
/// <param name="Sender">The sender's agent id.</param>
/// <param name="Frame">The deliver frame to write to the recipient.</param>
public readonly record struct BackplaneDelivery(Guid MessageId, string Sender, ReadOnlyMemory<byte> Frame);

/// <summary>One agent's durable mailbox, open while the agent is connected to this relay.</summary>
public interface IBackplaneMailbox : IAsyncDisposable
{
    /// <summary>The agent confirmed these messages: the broker forgets them. Unknown ids are ignored.</summary>
    /// <returns>The deliveries confirmed.</returns>
    IReadOnlyList<BackplaneDelivery> Confirm(IEnumerable<Guid> messageIds);
}
