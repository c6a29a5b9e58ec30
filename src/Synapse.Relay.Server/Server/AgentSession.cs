using System.Buffers;
using Synapse.Discovery;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Rpc;
using Synapse.Transport;
using Synapse.Transport.Framing;

namespace Synapse.Relay.Server;

/// <summary>
/// An agent connected over a secure link, registered under the agent id its handshake proved. Reads relay frames,
/// applies the per-identity rate limit, routes, and applies backpressure to itself from what it has queued in others'
/// queues: throttle (pause before reading on), flow control (stop reading until those queues drain), disconnect
/// (close and quarantine).
/// </summary>
internal sealed class AgentSession : RelayLink
{
    private readonly HashSet<string> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _roomsLock = new();
    private long _lastRateNotice;

    public AgentSession(ITransportConnection transport, RelayServer server, AgentId agent)
        : base(transport, server)
    {
        Agent = agent;
        Identity = agent.ToString();
    }

    public AgentId Agent { get; }

    /// <summary>The agent's mailbox, opened when this link registers and closed when it unregisters.</summary>
    internal IOpenMailbox? OpenMailbox;

    public override string Identity { get; }

    /// <summary>The rooms this link has joined (a copy).</summary>
    public IReadOnlyCollection<string> Rooms
    {
        get
        {
            lock (_roomsLock)
            {
                return [.. _rooms];
            }
        }
    }

    /// <summary>Whether this link has joined <paramref name="room"/>.</summary>
    public bool IsMember(string room)
    {
        lock (_roomsLock)
        {
            return _rooms.Contains(room);
        }
    }

    /// <summary>Where the agent's mailbox delivers: this link's queue.</summary>
    public void Deliver(Guid messageId, ReadOnlyMemory<byte> frame, RelayLink? origin) => Enqueue(frame, origin);

    public Task RunAsync() => RunAsync(() => Server.Router.Register(this), () => Server.Router.Unregister(this));

    protected override bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, bool completed, out ReadOnlySequence<byte> frame)
    {
        try
        {
            return Frames.TryTakeFrame(ref buffer, Server.Options.MaxFrameBytes, out frame);
        }
        catch (RpcException e)
        {
            throw new RelayProtocolException(e.Message) { Code = "frame_too_large" };
        }
    }

    public override byte[] Notice(string code, string text) => RelayFrame.Notice(code, text);

    protected override ValueTask HandleAsync(ReadOnlySequence<byte> body)
    {
        var frame = RelayFrame.Decode(body);
        switch (frame.Op)
        {
            case RelayOp.Send:
                HandleSend(frame);
                break;
            case RelayOp.Received:
                Server.Router.Confirm(this, frame.AllMessageIds());
                break;
            case RelayOp.Join:
                return JoinAsync(CheckRoom(frame.Room));
            case RelayOp.Leave:
                var left = CheckRoom(frame.Room);
                lock (_roomsLock)
                {
                    _rooms.Remove(left);
                }

                Server.Router.Leave(this, left);
                break;
            case RelayOp.PublishCard:
                HandlePublishCard(frame);
                break;
            case RelayOp.Find:
                HandleFind(frame);
                break;
            default:
                throw new RelayProtocolException($"'{frame.Op}' is not something an agent sends");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// A join takes a token from the agent's rate-limit bucket: over the limit, nothing more is read from this link
    /// until a token is there (a join is delayed, never lost, so a client re-joining its rooms after a reconnect keeps
    /// them all). A link in <see cref="Configuration.RelayOptions.MaxRoomsPerLink"/> rooms is refused a new one.
    /// </summary>
    private async ValueTask JoinAsync(string room)
    {
        var bucket = Server.BucketFor(Identity);
        while (!bucket.TryTake())
        {
            NoticeRateLimited();
            await Task.Delay(bucket.UntilToken(), Server.Time, Closed).ConfigureAwait(false);
        }

        var max = Server.Options.MaxRoomsPerLink;
        lock (_roomsLock)
        {
            if (_rooms.Count >= max && !_rooms.Contains(room))
            {
                Server.Events.Refused(this, Guid.Empty, "too_many_rooms");
                Enqueue(new RelayFrame
                {
                    Op = RelayOp.Nack,
                    Room = room,
                    Error = "too_many_rooms",
                    Message = $"this link is already in {max} rooms, the most the relay allows (max_rooms_per_link); leave one first",
                    Retry = false,
                }.Encode());
                return;
            }

            _rooms.Add(room);
        }

        var (members, bound) = Server.Router.Join(this, room);
        var joined = new RelayFrame { Op = RelayOp.Joined, Room = room, Message = $"{members} member(s) here" }.Encode();
        if (bound.IsCompleted)
        {
            Enqueue(joined);
        }
        else
        {
            _ = bound.ContinueWith(_ => Enqueue(joined), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Tells the agent it is over its rate limit, at most once a second.</summary>
    private void NoticeRateLimited()
    {
        var now = Server.Time.GetTimestamp();
        if (Server.Time.GetElapsedTime(Interlocked.Read(ref _lastRateNotice), now) >= TimeSpan.FromSeconds(1))
        {
            Interlocked.Exchange(ref _lastRateNotice, now);
            Enqueue(RelayFrame.Notice("rate_limited", "You are sending messages too quickly. Please slow down."));
        }
    }

    private void HandleSend(RelayFrame frame)
    {
        SealedEnvelope envelope;
        try
        {
            envelope = SealedEnvelope.Decode(frame.Envelope, Server.EnvelopeLimits);
        }
        catch (EnvelopeException e)
        {
            Server.Events.Refused(this, Guid.Empty, "bad_envelope");
            Enqueue(RelayFrame.Nack(Guid.Empty, "bad_envelope", e.Message, retry: false));
            return;
        }

        if (envelope.Sender != Agent)
        {
            // The link proved one identity; an envelope signed by another is not this agent's to send.
            Server.Events.Refused(this, envelope.MessageId, "forged_sender");
            Enqueue(RelayFrame.Nack(envelope.MessageId, "forged_sender", "the envelope's sender is not the agent this link authenticated", retry: false));
            return;
        }

        if (!Server.BucketFor(Identity).TryTake())
        {
            Server.Events.Refused(this, envelope.MessageId, "rate_limited");
            Enqueue(RelayFrame.Nack(envelope.MessageId, "rate_limited", $"over {Server.Options.RateLimitMessagesPerMinute} messages per minute", retry: true));
            NoticeRateLimited();
            return;
        }

        if (envelope.Recipient.IsAgent)
        {
            Server.Router.SendDirect(this, envelope, frame.Envelope);
        }
        else
        {
            Server.Router.Publish(this, envelope, frame.Envelope);
        }
    }

    private void HandlePublishCard(RelayFrame frame)
    {
        if (!TakeToken(frame.MessageId))
        {
            return;
        }

        AgentCard card;
        try
        {
            card = AgentCard.Decode(frame.Card);
        }
        catch (AgentCardException e)
        {
            Refuse(frame.MessageId, "bad_card", e.Message);
            return;
        }

        if (card.Agent != Agent)
        {
            // Only the agent this link proved may publish its card, so a copied card cannot be replayed by another.
            Refuse(frame.MessageId, "forged_card", "the card's agent is not the agent this link authenticated");
            return;
        }

        var result = Server.Directory.Publish(card);
        if (result.Status is PublishStatus.Accepted or PublishStatus.Replaced)
        {
            Server.Backplane?.CardStored(card.Encoded);
        }

        if (result.IsStored)
        {
            Enqueue(new RelayFrame { Op = RelayOp.Ack, MessageId = frame.MessageId, Message = result.Status.ToString() }.Encode());
        }
        else
        {
            Refuse(frame.MessageId, result.Code, result.Message);
        }
    }

    private void HandleFind(RelayFrame frame)
    {
        if (!TakeToken(frame.MessageId))
        {
            return;
        }

        AgentPage page;
        try
        {
            page = Server.Directory.Query(frame.Query ?? new AgentQuery(), Math.Max(1, Server.Options.MaxFrameBytes - FoundFrameOverhead));
        }
        catch (ArgumentException e)
        {
            Refuse(frame.MessageId, "bad_query", e.Message);
            return;
        }

        Enqueue(new RelayFrame
        {
            Op = RelayOp.Found,
            MessageId = frame.MessageId,
            Cards = [.. page.Cards.Select(card => card.Encoded)],
            NextPageToken = page.NextPageToken,
        }.Encode());
    }

    /// <summary>Room left in a frame for everything but the cards' bytes (keys, bin headers, id, token).</summary>
    private const int FoundFrameOverhead = 4096;

    private bool TakeToken(Guid id)
    {
        if (Server.BucketFor(Identity).TryTake())
        {
            return true;
        }

        Server.Events.Refused(this, id, "rate_limited");
        Enqueue(RelayFrame.Nack(id, "rate_limited", $"over {Server.Options.RateLimitMessagesPerMinute} messages per minute", retry: true));
        return false;
    }

    private void Refuse(Guid id, string code, string message)
    {
        Server.Events.Refused(this, id, code);
        Enqueue(RelayFrame.Nack(id, code, message, retry: false));
    }

    private static string CheckRoom(string? room) =>
        room is { Length: > 0 and <= Recipient.MaxTopicLength } ? room : throw new RelayProtocolException("a room name is 1 to 256 characters");
}
