using Synapse.Identity;
using System.Collections.Concurrent;
using Synapse.Envelopes;

namespace Synapse.Relay.Server;

/// <summary>
/// Who is connected, which rooms they are in, and the mailboxes of direct messages. Direct messages always pass
/// through the recipient's mailbox, so the same code serves online and offline recipients: a message waits there until
/// the recipient confirms it, and the confirmation is what the sender is acknowledged with.
/// </summary>
internal sealed partial class RelayRouter(RelayServer server)
{
    /// <summary>Delivered but unconfirmed direct messages allowed per recipient: bounds each recipient's queue.</summary>
    internal const int DeliveryWindow = 256;

    private readonly ConcurrentDictionary<string, AgentSession> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, AgentSession>> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Mailbox> _mailboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<AgentId, string> _texts = new();
    private long _storedBytes;
    private const int MaxRememberedTexts = 100_000;

    /// <summary>Connected agents.</summary>
    public int AgentCount => _agents.Count;

    /// <summary>Bytes held in all mailboxes.</summary>
    public long StoredBytes => Interlocked.Read(ref _storedBytes);

    /// <summary>Registers a newly authenticated agent, replacing (and closing) an older link with the same id.</summary>
    public void Register(AgentSession session)
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

        if (server.Backplane is { } backplane)
        {
            OpenBackplaneMailbox(backplane, session);
            return;
        }

        if (_mailboxes.TryGetValue(session.Identity, out var mailbox))
        {
            lock (mailbox)
            {
                mailbox.ReturnInFlight(); // whatever an older link had in flight is delivered again, in order
            }
        }

        Pump(session.Identity);
    }

    /// <summary>Forgets a closed link: leaves its rooms, returns its in-flight mail to the queue.</summary>
    public void Unregister(AgentSession session)
    {
        foreach (var room in session.Rooms)
        {
            Leave(session, room);
        }

        CloseBackplaneMailbox(session);

        if (!_agents.TryRemove(new KeyValuePair<string, AgentSession>(session.Identity, session)))
        {
            return; // already replaced by a newer link, which owns the mailbox now
        }

        if (_mailboxes.TryGetValue(session.Identity, out var mailbox))
        {
            lock (mailbox)
            {
                mailbox.ReturnInFlight();
            }
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

    /// <summary>Routes a direct envelope into its recipient's mailbox and delivers what the window allows.</summary>
    public void SendDirect(AgentSession sender, SealedEnvelope envelope, ReadOnlyMemory<byte> encoded)
    {
        var recipient = TextOf(envelope.Recipient.Agent);
        if (server.Backplane is { } backplane)
        {
            _ = StoreThroughBackplaneAsync(backplane, sender, envelope.MessageId, recipient, encoded);
            return;
        }

        var frame = RelayFrame.EncodeDeliver(encoded.Span);
        if (Interlocked.Add(ref _storedBytes, frame.Length) > server.Options.Mailbox.MaxTotalBytes)
        {
            Interlocked.Add(ref _storedBytes, -frame.Length);
            server.Events.Refused(sender, envelope.MessageId, "relay_full");
            sender.Enqueue(RelayFrame.Nack(envelope.MessageId, "relay_full", "the relay holds as much undelivered mail as it may; try again later", retry: true));
            return;
        }

        var mailbox = _mailboxes.GetOrAdd(recipient, _ => new Mailbox(server.Options.Mailbox));
        MailboxOffer offer;
        lock (mailbox)
        {
            offer = mailbox.Offer(new MailItem(envelope.MessageId, sender.Identity, frame, server.Time.GetUtcNow()));
        }

        if (offer != MailboxOffer.Stored)
        {
            Interlocked.Add(ref _storedBytes, -frame.Length); // not stored: the reservation is given back
        }

        switch (offer)
        {
            case MailboxOffer.FullMessages or MailboxOffer.FullBytes:
                server.Events.Refused(sender, envelope.MessageId, "mailbox_full");
                sender.Enqueue(RelayFrame.Nack(envelope.MessageId, "mailbox_full",
                    $"the recipient's mailbox is full ({(offer == MailboxOffer.FullMessages ? "messages" : "bytes")}); try again later", retry: true));
                return;
            case MailboxOffer.Duplicate:
                server.Events.Duplicate(sender, envelope.MessageId);
                break;
            default:
                server.Events.Routed(sender, envelope.MessageId, recipient, null, encoded.Length, online: _agents.ContainsKey(recipient));
                break;
        }

        Pump(recipient, sender);
    }

    /// <summary>Fans a topic envelope out to every other member of the room; acknowledges the sender at once.</summary>
    public void Publish(AgentSession sender, SealedEnvelope envelope, ReadOnlyMemory<byte> encoded)
    {
        var room = envelope.Recipient.Topic;
        if (!sender.IsMember(room))
        {
            sender.Enqueue(RelayFrame.Nack(envelope.MessageId, "not_a_member", $"join room '{room}' before publishing to it", retry: false));
            return;
        }

        var frame = RelayFrame.EncodeDeliver(encoded.Span);
        var fanOut = FanOut(room, sender.Identity, frame, sender);

        if (server.Backplane is { } backplane)
        {
            _ = PublishThroughBackplaneAsync(backplane, sender, envelope.MessageId, room, frame, encoded.Length, fanOut);
            return;
        }

        server.Events.Routed(sender, envelope.MessageId, null, room, encoded.Length, online: fanOut > 0);
        sender.Enqueue(new RelayFrame { Op = RelayOp.Ack, MessageId = envelope.MessageId }.Encode());
    }

    /// <summary>Fans a room message out to this relay's members of the room, except its sender.</summary>
    public int FanOut(string room, string? sender, byte[] frame, RelayLink? origin)
    {
        var fanOut = 0;
        if (_rooms.TryGetValue(room, out var members))
        {
            foreach (var (id, member) in members)
            {
                if (id != sender && member.Enqueue(frame, origin))
                {
                    fanOut++;
                }
            }
        }

        return fanOut;
    }

    /// <summary>Whether agents on this relay are in <paramref name="room"/>.</summary>
    public bool HasMembers(string room) => _rooms.TryGetValue(room, out var members) && !members.IsEmpty;

    /// <summary>The rooms with members on this relay.</summary>
    public IEnumerable<string> Rooms() => _rooms.Where(room => !room.Value.IsEmpty).Select(room => room.Key);

    /// <summary>Adds the session to a room.</summary>
    /// <returns>The members here, and a task that completes once other relays' messages to the room reach this one.</returns>
    public (int Members, Task Bound) Join(AgentSession session, string room)
    {
        var members = _rooms.GetOrAdd(room, _ => new ConcurrentDictionary<string, AgentSession>(StringComparer.Ordinal));
        members[session.Identity] = session;
        return (members.Count, server.Backplane?.RoomMembershipChanged(room) ?? Task.CompletedTask);
    }

    /// <summary>Removes the session from a room.</summary>
    public void Leave(AgentSession session, string room)
    {
        if (_rooms.TryGetValue(room, out var members) && members.TryRemove(new KeyValuePair<string, AgentSession>(session.Identity, session)))
        {
            _ = server.Backplane?.RoomMembershipChanged(room);
        }
    }

    /// <summary>The recipient confirmed messages: drop them, acknowledge their senders (one frame each), deliver more.</summary>
    public void Confirm(AgentSession recipient, IEnumerable<Guid> messageIds)
    {
        if (recipient.BackplaneMailbox is { } durable)
        {
            foreach (var delivery in durable.Confirm(messageIds))
            {
                server.Events.Delivered(recipient, delivery.MessageId, delivery.Sender);
            }

            return;
        }

        if (!_mailboxes.TryGetValue(recipient.Identity, out var mailbox))
        {
            return;
        }

        var confirmed = new List<MailItem>();
        lock (mailbox)
        {
            foreach (var id in messageIds)
            {
                if (mailbox.Confirm(id) is { } item)
                {
                    confirmed.Add(item);
                    Interlocked.Add(ref _storedBytes, -item.Frame.Length);
                }
            }
        }

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
                ids.Add(item.MessageId);
            }

            if (_agents.TryGetValue(bySender.Key, out var sender))
            {
                for (var start = 0; start < ids.Count; start += RelayFrame.MaxIdsPerFrame)
                {
                    sender.Enqueue(RelayFrame.ForIds(RelayOp.Ack, ids.GetRange(start, Math.Min(RelayFrame.MaxIdsPerFrame, ids.Count - start))));
                }
            }
        }

        Pump(recipient.Identity);
    }

    /// <summary>Drops expired mail everywhere and the mailboxes left empty by offline agents.</summary>
    public void ExpireMail()
    {
        var cutoff = server.Time.GetUtcNow() - server.Options.Mailbox.TimeToLive;
        foreach (var (agent, mailbox) in _mailboxes)
        {
            List<MailItem> expired;
            bool empty;
            lock (mailbox)
            {
                expired = mailbox.Expire(cutoff);
                empty = mailbox.Count == 0;
            }

            foreach (var item in expired)
            {
                Interlocked.Add(ref _storedBytes, -item.Frame.Length);
                server.Events.Expired(agent, item.MessageId, item.Sender);
                if (_agents.TryGetValue(item.Sender, out var sender))
                {
                    sender.Enqueue(RelayFrame.Nack(item.MessageId, "expired", "the recipient did not collect the message before its time-to-live", retry: false));
                }
            }

            if (empty && !_agents.ContainsKey(agent))
            {
                _mailboxes.TryRemove(new KeyValuePair<string, Mailbox>(agent, mailbox));
            }
        }
    }

    /// <summary>Every message the relay holds for <paramref name="agent"/>, as stored (for inspection and tests).</summary>
    public IReadOnlyList<MailItem> MailFor(string agent)
    {
        if (!_mailboxes.TryGetValue(agent, out var mailbox))
        {
            return [];
        }

        lock (mailbox)
        {
            return mailbox.Snapshot().ToList();
        }
    }

    /// <summary>Every stored message, for inspection.</summary>
    public IEnumerable<MailItem> AllMail() => _mailboxes.Keys.SelectMany(MailFor);

    private void Pump(string recipient, RelayLink? origin = null)
    {
        if (!_agents.TryGetValue(recipient, out var session) || !_mailboxes.TryGetValue(recipient, out var mailbox))
        {
            return;
        }

        lock (mailbox)
        {
            while (mailbox.InFlight < DeliveryWindow && mailbox.TryTakeForDelivery(out var item))
            {
                session.Enqueue(item.Frame, origin is not null && item.Sender == origin.Identity ? origin : null);
            }
        }
    }
}
