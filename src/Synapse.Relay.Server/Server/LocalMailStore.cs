using System.Collections.Concurrent;
using Synapse.Relay.Configuration;

namespace Synapse.Relay.Server;

/// <summary>
/// Mail in this relay's memory (the relay without a backplane): one bounded <see cref="Mailbox"/> per recipient,
/// within a total byte limit. Messages are <see cref="MailStatus.Held"/>: the sender is acknowledged when the
/// recipient confirms. Rooms do not reach beyond this relay.
/// </summary>
internal sealed class LocalMailStore(MailboxOptions limits) : IRelayMailStore
{
    /// <summary>Delivered but unconfirmed direct messages allowed per recipient: bounds each recipient's queue.</summary>
    internal const int DeliveryWindow = 256;

    private readonly ConcurrentDictionary<string, Mailbox> _mailboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Reader> _open = new(StringComparer.Ordinal);
    private long _storedBytes;

    public long StoredBytes => Interlocked.Read(ref _storedBytes);

    public ValueTask<MailStatus> StoreAsync(string recipient, MailItem item)
    {
        if (Interlocked.Add(ref _storedBytes, item.Frame.Length) > limits.MaxTotalBytes)
        {
            Interlocked.Add(ref _storedBytes, -item.Frame.Length);
            return new(MailStatus.RelayFull);
        }

        var mailbox = _mailboxes.GetOrAdd(recipient, _ => new Mailbox(limits));
        MailboxOffer offer;
        lock (mailbox)
        {
            offer = mailbox.Offer(item);
        }

        if (offer != MailboxOffer.Stored)
        {
            Interlocked.Add(ref _storedBytes, -item.Frame.Length); // not stored: the reservation is given back
        }

        return new(offer switch
        {
            MailboxOffer.Stored => MailStatus.Held,
            MailboxOffer.Duplicate => MailStatus.Duplicate,
            MailboxOffer.FullMessages => MailStatus.MailboxFullMessages,
            _ => MailStatus.MailboxFullBytes,
        });
    }

    public IOpenMailbox Open(string agent, MailSink deliver)
    {
        var reader = new Reader(this, agent, deliver);
        _open[agent] = reader;
        if (_mailboxes.TryGetValue(agent, out var mailbox))
        {
            lock (mailbox)
            {
                mailbox.ReturnInFlight(); // whatever an older link had in flight is delivered again, in order
            }
        }

        Deliver(agent);
        return reader;
    }

    public void Deliver(string recipient, RelayLink? origin = null)
    {
        if (!_open.TryGetValue(recipient, out var reader) || !_mailboxes.TryGetValue(recipient, out var mailbox))
        {
            return;
        }

        lock (mailbox)
        {
            while (mailbox.InFlight < DeliveryWindow && mailbox.TryTakeForDelivery(out var item))
            {
                reader.Sink(item.MessageId, item.Frame, origin is not null && item.Sender == origin.Identity ? origin : null);
            }
        }
    }

    public ValueTask<MailStatus> ForwardToRoomAsync(string room, string sender, Guid messageId, ReadOnlyMemory<byte> deliverFrame) =>
        new(MailStatus.Stored); // no relay beyond this one: the members here had it already

    public Task RoomChanged(string room) => Task.CompletedTask;

    public IReadOnlyList<ExpiredMail> Expire(DateTimeOffset cutoff)
    {
        var expired = new List<ExpiredMail>();
        foreach (var (agent, mailbox) in _mailboxes)
        {
            bool empty;
            lock (mailbox)
            {
                foreach (var item in mailbox.Expire(cutoff))
                {
                    Interlocked.Add(ref _storedBytes, -item.Frame.Length);
                    expired.Add(new ExpiredMail(agent, item.MessageId, item.Sender));
                }

                empty = mailbox.Count == 0;
            }

            if (empty && !_open.ContainsKey(agent))
            {
                _mailboxes.TryRemove(new KeyValuePair<string, Mailbox>(agent, mailbox));
            }
        }

        return expired;
    }

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

    public IEnumerable<MailItem> AllMail() => _mailboxes.Keys.SelectMany(MailFor);

    /// <summary>Mailboxes held now, empty ones included (for tests: those of offline agents go at expiry).</summary>
    internal int MailboxCount => _mailboxes.Count;

    private IReadOnlyList<ConfirmedMail> Confirm(string agent, IEnumerable<Guid> messageIds)
    {
        if (!_mailboxes.TryGetValue(agent, out var mailbox))
        {
            return [];
        }

        var confirmed = new List<ConfirmedMail>();
        lock (mailbox)
        {
            foreach (var id in messageIds)
            {
                if (mailbox.Confirm(id) is { } item)
                {
                    confirmed.Add(new ConfirmedMail(item.MessageId, item.Sender, SenderWaits: true));
                    Interlocked.Add(ref _storedBytes, -item.Frame.Length);
                }
            }
        }

        return confirmed;
    }

    private void Close(Reader reader)
    {
        if (!_open.TryRemove(new KeyValuePair<string, Reader>(reader.Agent, reader)))
        {
            return; // a newer link of the agent took over, and with it what was in flight
        }

        if (_mailboxes.TryGetValue(reader.Agent, out var mailbox))
        {
            lock (mailbox)
            {
                mailbox.ReturnInFlight();
            }
        }
    }

    private sealed class Reader(LocalMailStore store, string agent, MailSink sink) : IOpenMailbox
    {
        public string Agent => agent;

        public MailSink Sink => sink;

        public IReadOnlyList<ConfirmedMail> Confirm(IEnumerable<Guid> messageIds) => store.Confirm(agent, messageIds);

        public void Close() => store.Close(this);
    }
}
