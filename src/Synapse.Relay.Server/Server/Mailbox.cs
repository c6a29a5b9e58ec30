using Synapse.Relay.Configuration;

namespace Synapse.Relay.Server;

/// <summary>A direct message held by the relay for its recipient: the deliver frame, ready to write.</summary>
internal sealed record MailItem(Guid MessageId, string Sender, byte[] Frame, DateTimeOffset StoredAt);

/// <summary>What happened to a message offered to a mailbox.</summary>
internal enum MailboxOffer
{
    /// <summary>Stored.</summary>
    Stored,

    /// <summary>The same message id is already held (a retransmission): nothing stored twice.</summary>
    Duplicate,

    /// <summary>Over the message limit.</summary>
    FullMessages,

    /// <summary>Over the byte limit.</summary>
    FullBytes,
}

/// <summary>
/// Store-and-forward for one recipient: messages wait here, in arrival order, until the recipient confirms each one
/// (<c>received</c>). Delivered but unconfirmed messages are "in flight"; when the recipient disconnects they go back to
/// the front of the queue in their original order, so a reconnect delivers them again, in order. Bounded in messages
/// and bytes; messages older than the time-to-live are dropped. Not thread-safe: the router locks it.
/// </summary>
internal sealed class Mailbox(MailboxOptions limits)
{
    private readonly LinkedList<MailItem> _waiting = new();
    private readonly LinkedList<MailItem> _inFlight = new();
    private readonly Dictionary<Guid, LinkedListNode<MailItem>> _byId = [];

    /// <summary>Messages held (waiting and in flight).</summary>
    public int Count => _byId.Count;

    /// <summary>Bytes held.</summary>
    public long Bytes { get; private set; }

    /// <summary>Messages delivered and not yet confirmed.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Stores a message at the back of the queue, within the limits.</summary>
    public MailboxOffer Offer(MailItem item)
    {
        if (_byId.ContainsKey(item.MessageId))
        {
            return MailboxOffer.Duplicate;
        }

        if (_byId.Count >= limits.MaxMessages)
        {
            return MailboxOffer.FullMessages;
        }

        if (Bytes + item.Frame.Length > limits.MaxBytes)
        {
            return MailboxOffer.FullBytes;
        }

        _byId[item.MessageId] = _waiting.AddLast(item);
        Bytes += item.Frame.Length;
        return MailboxOffer.Stored;
    }

    /// <summary>Moves the oldest waiting message to in-flight; false when none waits.</summary>
    public bool TryTakeForDelivery([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MailItem? item)
    {
        if (_waiting.First is not { } node)
        {
            item = null;
            return false;
        }

        _waiting.RemoveFirst();
        _inFlight.AddLast(node);
        item = node.Value;
        return true;
    }

    /// <summary>Removes a confirmed message (waiting or in flight); null when unknown.</summary>
    public MailItem? Confirm(Guid messageId)
    {
        if (!_byId.Remove(messageId, out var node))
        {
            return null;
        }

        node.List!.Remove(node);
        Bytes -= node.Value.Frame.Length;
        return node.Value;
    }

    /// <summary>Puts every in-flight message back at the front of the queue, keeping their order.</summary>
    public void ReturnInFlight()
    {
        while (_inFlight.Last is { } node)
        {
            _inFlight.RemoveLast();
            _waiting.AddFirst(node);
        }
    }

    /// <summary>Drops waiting messages stored before <paramref name="cutoff"/> and returns them.</summary>
    public List<MailItem> Expire(DateTimeOffset cutoff)
    {
        var expired = new List<MailItem>();
        var node = _waiting.First;
        while (node is not null)
        {
            var next = node.Next;
            if (node.Value.StoredAt < cutoff)
            {
                _waiting.Remove(node);
                _byId.Remove(node.Value.MessageId);
                Bytes -= node.Value.Frame.Length;
                expired.Add(node.Value);
            }

            node = next;
        }

        return expired;
    }

    /// <summary>Everything held, in order (for inspection and tests).</summary>
    public IEnumerable<MailItem> Snapshot() => _inFlight.Concat(_waiting).ToList();
}
