using System.Buffers;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Swarm;

/// <summary>
/// One-way broadcasts, as synapse-p2p sends them (§1.9): <see cref="BroadcastAsync"/> calls an endpoint on every known
/// peer with a <c>broadcast</c> envelope; a receiving endpoint replies with <see cref="ReplyAsync"/>, and replies reach
/// the origin and every peer, once each.
/// </summary>
public sealed partial class SwarmNode
{
    // The envelope's key as MessagePack writes it (a fixstr of 9 bytes): calls without it are let through unparsed.
    private static ReadOnlySpan<byte> BroadcastKey => [0xa9, (byte)'b', (byte)'r', (byte)'o', (byte)'a', (byte)'d', (byte)'c', (byte)'a', (byte)'s', (byte)'t'];

    /// <summary>Raised when a call arrives with a broadcast envelope, before its endpoint runs.</summary>
    public event EventHandler<SwarmBroadcastEventArgs>? BroadcastReceived;

    /// <summary>Raised for each peer's first reply to a broadcast (this node's own replies included).</summary>
    public event EventHandler<SwarmReplyEventArgs>? BroadcastReplied;

    /// <summary>
    /// Calls <paramref name="endpoint"/> on every known peer at once, with <c>broadcast={nonce, origin, endpoint}</c>
    /// added to its keywords, and records the broadcast as the <c>message</c> event of a new conversation whose id is
    /// the nonce. One-way: a peer that fails or does not answer is logged and skipped; receivers do not forward it.
    /// Replies arrive later (<see cref="BroadcastReplied"/>, <see cref="Replies"/>).
    /// </summary>
    /// <param name="endpoint">The endpoint to call.</param>
    /// <param name="args">Its positional arguments.</param>
    /// <param name="kwargs">Its keyword arguments, without <c>broadcast</c>.</param>
    /// <param name="cancellationToken">Stops waiting for the calls.</param>
    /// <returns>The broadcast, once every peer was called.</returns>
    public async Task<SwarmBroadcast> BroadcastAsync(string endpoint, IReadOnlyList<MsgPackValue>? args = null, IReadOnlyDictionary<string, MsgPackValue>? kwargs = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        args ??= [];
        if (kwargs is not null && kwargs.ContainsKey(SwarmBroadcast.Keyword))
        {
            throw new ArgumentException("the 'broadcast' keyword is the envelope's own", nameof(kwargs));
        }

        var broadcast = new SwarmBroadcast(Guid.CreateVersion7().ToString(), Self, endpoint);
        var keywords = MsgPackValue.FromMap(kwargs?.Select(k => new KeyValuePair<string, MsgPackValue>(k.Key, k.Value)).ToArray() ?? []);
        Conversations.TryAdd(Signed(MessageEvent(broadcast, args, keywords)));
        var sent = new Dictionary<string, MsgPackValue>(kwargs ?? new Dictionary<string, MsgPackValue>(), StringComparer.Ordinal)
        {
            [SwarmBroadcast.Keyword] = broadcast.ToMsgPack(),
        };
        await SendAsync(endpoint, args, sent, null, null).WaitAsync(cancellationToken).ConfigureAwait(false);
        return broadcast;
    }

    /// <summary>
    /// Replies to <paramref name="broadcast"/>: stores a <c>reply</c> event and calls <c>_synapse.broadcast.reply</c>
    /// on its origin and every known peer, which store it once and forward it.
    /// </summary>
    /// <param name="broadcast">The broadcast being answered, as the endpoint received it.</param>
    /// <param name="result">The reply.</param>
    /// <param name="cancellationToken">Stops waiting for the calls.</param>
    public Task ReplyAsync(SwarmBroadcast broadcast, MsgPackValue result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        ArgumentNullException.ThrowIfNull(result);
        var self = Self;
        StoreReply(broadcast.Nonce, self, result, forward: false);
        return SendAsync(SwarmEndpoints.BroadcastReply, [broadcast.Nonce, self.ToMsgPack()], new Dictionary<string, MsgPackValue> { ["result"] = result }, broadcast.Origin, null)
            .WaitAsync(cancellationToken);
    }

    /// <summary>The replies to <paramref name="broadcast"/> this node has stored, oldest first.</summary>
    public IReadOnlyList<SwarmReply> Replies(SwarmBroadcast broadcast)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        return [.. Conversations.Get(broadcast.Nonce).Where(e => e.Kind == "reply").Select(e => new SwarmReply(broadcast.Nonce, e.Peer, e.Payload["result"] ?? MsgPackValue.Nil))];
    }

    /// <summary>
    /// Takes the <c>broadcast</c> keyword off a call to an agent endpoint: checks its origin is a member, records the
    /// <c>message</c> event, raises <see cref="BroadcastReceived"/> and attaches it for <see cref="SwarmBroadcast.Of"/>.
    /// </summary>
    private void ReceiveBroadcast(RpcInvocation call)
    {
        var raw = call.KeywordArguments;
        if (raw.IsEmpty || !Contains(raw, BroadcastKey))
        {
            return;
        }

        var kwargs = MsgPackValue.Parse(raw, call.ReaderOptions);
        if (kwargs.Type != MsgPackType.Map || kwargs[SwarmBroadcast.Keyword] is not { } envelope)
        {
            return;
        }

        var received = ReadBroadcast(envelope);
        _ = Admit(received.Origin);
        var broadcast = new SwarmBroadcast(received.Nonce, received.Origin, received.Endpoint) { Receiver = this };
        var rest = MsgPackValue.FromMap(WithoutBroadcast(kwargs).ToArray());
        var args = MsgPackValue.Parse(call.Arguments, call.ReaderOptions);
        call.ReplaceKeywordArguments(rest.ToBytes());
        call.Attachment = broadcast;
        Conversations.TryAdd(MessageEvent(broadcast, args.Type == MsgPackType.Array ? args.AsArray() : [], rest));
        Raise(BroadcastReceived, new SwarmBroadcastEventArgs(broadcast, args, rest), "broadcast.received");
    }

    /// <summary>Decodes a received envelope; a malformed one is a <c>bad_request</c>.</summary>
    private static SwarmBroadcast ReadBroadcast(MsgPackValue envelope)
    {
        try
        {
            return SwarmBroadcast.FromMsgPack(envelope);
        }
        catch (SwarmPeerFormatException e)
        {
            throw new RpcException(RpcErrorCodes.BadRequest, $"malformed broadcast: {e.Message}");
        }
    }

    /// <summary>The entries of a keyword map, without the envelope's.</summary>
    private static IEnumerable<KeyValuePair<MsgPackValue, MsgPackValue>> WithoutBroadcast(MsgPackValue kwargs) =>
        kwargs.AsMap().Where(e => !(e.Key.Type == MsgPackType.String && e.Key.AsString() == SwarmBroadcast.Keyword));

    /// <summary>
    /// The <c>message</c> event that opens a broadcast's conversation: id and conversation are the nonce; its payload
    /// is <c>{endpoint, args, kwargs}</c>, or <c>{endpoint, args}</c> without <paramref name="kwargs"/> (an ask's).
    /// </summary>
    private SwarmConversationEvent MessageEvent(SwarmBroadcast broadcast, IReadOnlyList<MsgPackValue> args, MsgPackValue? kwargs = null) =>
        new(broadcast.Nonce, broadcast.Nonce, "message", broadcast.Origin,
            kwargs is null
                ? MsgPackValue.Map(("endpoint", broadcast.Endpoint), ("args", MsgPackValue.FromArray(args)))
                : MsgPackValue.Map(("endpoint", broadcast.Endpoint), ("args", MsgPackValue.FromArray(args)), ("kwargs", kwargs)),
            null, Membership.Now, SwarmConversationEvent.EmptyMap);

    private static bool Contains(ReadOnlySequence<byte> bytes, ReadOnlySpan<byte> value) =>
        bytes.IsSingleSegment ? bytes.FirstSpan.IndexOf(value) >= 0 : bytes.ToArray().AsSpan().IndexOf(value) >= 0;
}

/// <summary>A call that arrived with a broadcast envelope.</summary>
/// <param name="broadcast">The envelope.</param>
/// <param name="args">The call's positional arguments.</param>
/// <param name="kwargs">The call's keyword arguments, without the envelope.</param>
public sealed class SwarmBroadcastEventArgs(SwarmBroadcast broadcast, MsgPackValue args, MsgPackValue kwargs) : EventArgs
{
    /// <summary>The envelope.</summary>
    public SwarmBroadcast Broadcast { get; } = broadcast;

    /// <summary>The call's positional arguments.</summary>
    public MsgPackValue Arguments { get; } = args;

    /// <summary>The call's keyword arguments, without the envelope.</summary>
    public MsgPackValue KeywordArguments { get; } = kwargs;
}

/// <summary>One peer's reply to a broadcast.</summary>
/// <param name="Nonce">The broadcast's nonce.</param>
/// <param name="Peer">The peer that replied.</param>
/// <param name="Result">Its reply.</param>
public sealed record SwarmReply(string Nonce, SwarmPeer Peer, MsgPackValue Result);

/// <summary>A reply to a broadcast, as <see cref="SwarmNode.BroadcastReplied"/> reports it.</summary>
/// <param name="reply">The reply.</param>
public sealed class SwarmReplyEventArgs(SwarmReply reply) : EventArgs
{
    /// <summary>The reply.</summary>
    public SwarmReply Reply { get; } = reply;
}
