namespace Synapse.Relay.Server;

/// <summary>
/// Where direct mail waits for its recipient and where room messages go beyond this relay: the relay's own memory
/// (<see cref="LocalMailStore"/>) or a broker shared with other relays (<see cref="BackplaneMailStore"/>). The router
/// keeps who is connected and who is in which room here, and answers senders from what the store says; a store never
/// talks to links itself except through the <see cref="MailSink"/> of an open mailbox. Called from I/O paths: a store
/// must not block, and its tasks never fault (a failure is <see cref="MailStatus.Unavailable"/>).
/// </summary>
internal interface IRelayMailStore
{
    /// <summary>Bytes of mail held in this relay's memory.</summary>
    long StoredBytes { get; }

    /// <summary>Stores a direct message for <paramref name="recipient"/>; completes once it is stored or refused.</summary>
    ValueTask<MailStatus> StoreAsync(string recipient, MailItem item);

    /// <summary>
    /// Opens <paramref name="agent"/>'s mailbox for a link that just connected: its mail goes to
    /// <paramref name="deliver"/>, a window ahead of its confirmations, starting with what an earlier link left
    /// unconfirmed. A later <see cref="Open"/> for the same agent takes over.
    /// </summary>
    IOpenMailbox Open(string agent, MailSink deliver);

    /// <summary>
    /// Delivers what waits for <paramref name="recipient"/> as far as its window allows; called after a store and after
    /// confirmations. Messages of <paramref name="origin"/> delivered now count toward its backpressure.
    /// </summary>
    void Deliver(string recipient, RelayLink? origin = null);

    /// <summary>Carries a room message to the room's members beyond this relay; completes once they can have it.</summary>
    ValueTask<MailStatus> ForwardToRoomAsync(string room, string sender, Guid messageId, ReadOnlyMemory<byte> deliverFrame);

    /// <summary>This relay's members of <paramref name="room"/> changed.</summary>
    /// <returns>Completes once other relays' messages to the room reach this relay as the change requires.</returns>
    Task RoomChanged(string room);

    /// <summary>Drops the mail stored before <paramref name="cutoff"/> that is not in flight, and returns it.</summary>
    IReadOnlyList<ExpiredMail> Expire(DateTimeOffset cutoff);

    /// <summary>Every message held in this relay's memory for <paramref name="agent"/> (for inspection and tests).</summary>
    IReadOnlyList<MailItem> MailFor(string agent);

    /// <summary>Every message held in this relay's memory.</summary>
    IEnumerable<MailItem> AllMail();
}

/// <summary>An agent's mailbox while one link of the agent is connected here.</summary>
internal interface IOpenMailbox
{
    /// <summary>
    /// The agent confirmed these messages: the store forgets them. Unknown ids are ignored; after <see cref="Close"/>,
    /// a store may ignore them all (the next link gets the mail again, and the agent's inbox drops the copy).
    /// </summary>
    IReadOnlyList<ConfirmedMail> Confirm(IEnumerable<Guid> messageIds);

    /// <summary>
    /// The link is gone: what it had in flight waits for the agent's next link (unless one took over already).
    /// Closing twice does nothing more.
    /// </summary>
    void Close();
}

/// <summary>Writes a delivered message to the recipient's link.</summary>
/// <param name="messageId">The envelope's message id.</param>
/// <param name="frame">The deliver frame.</param>
/// <param name="origin">The sender's link when the delivery counts toward its backpressure.</param>
internal delegate void MailSink(Guid messageId, ReadOnlyMemory<byte> frame, RelayLink? origin);

/// <summary>What a store did with a message.</summary>
internal enum MailStatus
{
    /// <summary>Stored here; the sender is acknowledged when the recipient confirms it.</summary>
    Held,

    /// <summary>Stored where it cannot be lost (a broker confirmed it): the sender is acknowledged now.</summary>
    Stored,

    /// <summary>The same message is already held (a retransmission): nothing stored twice, no answer.</summary>
    Duplicate,

    /// <summary>This relay holds as much mail as it may.</summary>
    RelayFull,

    /// <summary>The recipient's mailbox is at its message limit.</summary>
    MailboxFullMessages,

    /// <summary>The recipient's mailbox is at its byte limit.</summary>
    MailboxFullBytes,

    /// <summary>The recipient's mailbox is full (the broker does not say which limit).</summary>
    MailboxFull,

    /// <summary>The broker is unreachable or did not confirm in time.</summary>
    Unavailable,
}

/// <summary>A message the recipient confirmed.</summary>
/// <param name="MessageId">The envelope's message id.</param>
/// <param name="Sender">The sender's agent id.</param>
/// <param name="SenderWaits">Whether the sender is still to be acknowledged (it was <see cref="MailStatus.Held"/>).</param>
internal readonly record struct ConfirmedMail(Guid MessageId, string Sender, bool SenderWaits);

/// <summary>A message dropped at its time-to-live.</summary>
internal readonly record struct ExpiredMail(string Recipient, Guid MessageId, string Sender);
