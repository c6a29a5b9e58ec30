using Synapse.Identity;
using System.Collections.Concurrent;
using Synapse.Envelopes;

namespace Synapse.Relay.Server;

/// <summary>
/// Who is connected and which rooms they are in; where mail waits is the relay's <see cref="IRelayMailStore"/>. Direct
/// messages always pass through the recipient's mailbox, so the same code serves online and offline recipients, and
/// the sender hears back from what the store answered: acknowledged when the store holds the message for good or the
/// recipient confirmed it, told to retry when it is full or unreachable.
/// </summary>
internal sealed class RelayRouter(RelayServer server)
{
    private readonly ConcurrentDictionary<string, AgentSession> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<AgentId, string> _texts = new();
    private readonly Lock _registration = new();
    private const int MaxRememberedTexts = 100_000;

    /// <summary>Connected agents.</summary>
    public int AgentCount => _agents.Count;

    /// <summary>This relay's members of each room.</summary>
    public RelayRooms Rooms { get; } = new();

    private IRelayMailStore Mail => server.Mail;

    /// <summary>Registers a newly authenticated agent, replacing (and closing) an older link with the same id, and opens its mailbox.</summary>
    public void Register(AgentSession session)
    {
        // One registration at a time, so the link registered last is both the agent's link here and its mailbox's reader.
        lock (_registration)
        {
            AgentSession? replaced = null;
            _agents.AddOrUpdate(session.Identity, session, (_, old) =>
            {
                replaced = old;
                return session;
            });
            if (replaced is not null)
            {
                server.Events.Replaced(replaced);
                Unregister(replaced);
                replaced.Close();
            }

            Volatile.Write(ref session.OpenMailbox, Mail.Open(session.Identity, session.Deliver));
        }
    }

    /// <summary>Forgets a closed link: leaves its rooms, closes its mailbox (what it had in flight waits for its next link).</summary>
    public void Unregister(AgentSession session)
    {
        lock (_registration)
        {
            foreach (var room in session.Rooms)
            {
                Leave(session, room);
            }

            Volatile.Read(ref session.OpenMailbox)?.Close();
            _agents.TryRemove(new KeyValuePair<string, AgentSession>(session.Identity, session));
        }
    }

    /// <summary>
    /// The did:key text of a recipient, remembered for the ids seen lately: making it (Base58) costs more than the rest
    /// of routing a small message. Bounded: forgotten wholesale when full.
    /// </summary>
    private string TextOf(AgentId id)
    {
        if (_texts.TryGetValue(id, out var text))
        {
            return text;
        }

        if (_texts.Count >= MaxRememberedTexts)
        {
            _texts.Clear();
        }

        return _texts[id] = id.ToString();
    }

    /// <summary>Stores a direct envelope in its recipient's mailbox, answers the sender, and delivers what the window allows.</summary>
    public void SendDirect(AgentSession sender, SealedEnvelope envelope, ReadOnlyMemory<byte> encoded)
    {
        var recipient = TextOf(envelope.Recipient.Agent);
        var item = new MailItem(envelope.MessageId, sender.Identity, RelayFrame.EncodeDeliver(encoded.Span), server.Time.GetUtcNow());
        Answer(sender, Mail.StoreAsync(recipient, item), new Routing(envelope.MessageId, encoded.Length, recipient, Room: null, FanOut: 0));
    }

    /// <summary>Fans a topic envelope out to every other member of the room here, and through the store beyond this relay.</summary>
    public void Publish(AgentSession sender, SealedEnvelope envelope, ReadOnlyMemory<byte> encoded)
    {
        var room = envelope.Recipient.Topic;
        if (!sender.IsMember(room))
        {
            sender.Enqueue(RelayFrame.Nack(envelope.MessageId, "not_a_member", $"join room '{room}' before publishing to it", retry: false));
            return;
        }

        var frame = RelayFrame.EncodeDeliver(encoded.Span);
        var fanOut = Rooms.FanOut(room, sender.Identity, frame, sender);

        // Members here already have it; a retry after a failure reaches the other relays' members, and receivers drop the copy.
        Answer(sender, Mail.ForwardToRoomAsync(room, sender.Identity, envelope.MessageId, frame), new Routing(envelope.MessageId, encoded.Length, Recipient: null, room, fanOut));
    }

    /// <summary>Adds the session to a room.</summary>
    /// <returns>The members here, and a task that completes once other relays' messages to the room reach this one.</returns>
    public (int Members, Task Bound) Join(AgentSession session, string room)
    {
        var members = Rooms.Join(session, room);
        return (members, Mail.RoomChanged(room));
    }

    /// <summary>Removes the session from a room.</summary>
    public void Leave(AgentSession session, string room)
    {
        if (Rooms.Leave(session, room))
        {
            _ = Mail.RoomChanged(room);
        }
    }

    /// <summary>The recipient confirmed messages: the store drops them, senders still waiting are acknowledged (one frame each), more is delivered.</summary>
    public void Confirm(AgentSession recipient, IEnumerable<Guid> messageIds)
    {
        if (Volatile.Read(ref recipient.OpenMailbox) is not { } mailbox)
        {
            return;
        }

        var confirmed = mailbox.Confirm(messageIds);
        if (confirmed.Count == 0)
        {
            return;
        }

        foreach (var bySender in confirmed.GroupBy(item => item.Sender, StringComparer.Ordinal))
        {
            var ids = new List<Guid>();
            foreach (var item in bySender)
            {
                server.Events.Delivered(recipient, item.MessageId, item.Sender);
                if (item.SenderWaits)
                {
                    ids.Add(item.MessageId);
                }
            }

            if (ids.Count > 0 && _agents.TryGetValue(bySender.Key, out var sender))
            {
                for (var start = 0; start < ids.Count; start += RelayFrame.MaxIdsPerFrame)
                {
                    sender.Enqueue(RelayFrame.ForIds(RelayOp.Ack, ids.GetRange(start, Math.Min(RelayFrame.MaxIdsPerFrame, ids.Count - start))));
                }
            }
        }

        Mail.Deliver(recipient.Identity);
    }

    /// <summary>Drops expired mail and tells the senders that are connected.</summary>
    public void ExpireMail()
    {
        foreach (var expired in Mail.Expire(server.Time.GetUtcNow() - server.Options.Mailbox.TimeToLive))
        {
            server.Events.Expired(expired.Recipient, expired.MessageId, expired.Sender);
            TellExpired(expired);
        }
    }

    /// <summary>Mail expired in a store shared by several relays: this relay logs it and tells its sender only if the sender is connected here.</summary>
    public void ExpiredElsewhere(ExpiredMail expired)
    {
        if (_agents.ContainsKey(expired.Sender))
        {
            server.Events.Expired(expired.Recipient, expired.MessageId, expired.Sender);
            TellExpired(expired);
        }
    }

    private void TellExpired(ExpiredMail expired)
    {
        if (_agents.TryGetValue(expired.Sender, out var sender))
        {
            sender.Enqueue(RelayFrame.Nack(expired.MessageId, "expired", "the recipient did not collect the message before its time-to-live", retry: false));
        }
    }

    /// <summary>Answers the sender once the store has: at once when it answered at once, else when it does.</summary>
    private void Answer(AgentSession sender, ValueTask<MailStatus> pending, Routing routing)
    {
        if (pending.IsCompletedSuccessfully)
        {
            Answered(sender, pending.Result, routing);
        }
        else
        {
            _ = AnswerLaterAsync(sender, pending, routing);
        }
    }

    private async Task AnswerLaterAsync(AgentSession sender, ValueTask<MailStatus> pending, Routing routing)
    {
        // Until the store answers, the message counts toward its sender's backpressure, as a queued one would.
        sender.HeldElsewhere(routing.Size);
        MailStatus status;
        try
        {
            status = await pending.ConfigureAwait(false);
        }
        finally
        {
            sender.ReleasedElsewhere(routing.Size);
        }

        Answered(sender, status, routing);
    }

    private void Answered(AgentSession sender, MailStatus status, Routing routing)
    {
        switch (status)
        {
            case MailStatus.Held or MailStatus.Stored:
                var online = routing.Recipient is null ? routing.FanOut > 0 : _agents.ContainsKey(routing.Recipient);
                server.Events.Routed(sender, routing.MessageId, routing.Recipient, routing.Room, routing.Size, online);
                if (status == MailStatus.Stored)
                {
                    sender.Enqueue(new RelayFrame { Op = RelayOp.Ack, MessageId = routing.MessageId }.Encode());
                }

                break;
            case MailStatus.Duplicate:
                server.Events.Duplicate(sender, routing.MessageId);
                break;
            default:
                Refuse(sender, routing.MessageId, status);
                return;
        }

        if (routing.Recipient is not null)
        {
            Mail.Deliver(routing.Recipient, sender);
        }
    }

    private void Refuse(AgentSession sender, Guid messageId, MailStatus status)
    {
        var (code, text) = status switch
        {
            MailStatus.RelayFull => ("relay_full", "the relay holds as much undelivered mail as it may; try again later"),
            MailStatus.MailboxFullMessages => ("mailbox_full", "the recipient's mailbox is full (messages); try again later"),
            MailStatus.MailboxFullBytes => ("mailbox_full", "the recipient's mailbox is full (bytes); try again later"),
            MailStatus.MailboxFull => ("mailbox_full", "the recipient's mailbox is full; try again later"),
            _ => ("backplane_unavailable", "the relays' broker is unreachable or did not confirm the message; try again later"),
        };
        server.Events.Refused(sender, messageId, code);
        sender.Enqueue(RelayFrame.Nack(messageId, code, text, retry: true));
    }

    /// <summary>What the sender is answered about, and the log told.</summary>
    private readonly record struct Routing(Guid MessageId, int Size, string? Recipient, string? Room, int FanOut);
}
