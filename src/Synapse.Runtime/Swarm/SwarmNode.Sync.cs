using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Swarm;

/// <summary>
/// Conversations a node missed: <c>_synapse.conversation.sync(conversation_id, since=0.0)</c> and
/// <c>_synapse.conversation.list</c>, served from <see cref="Conversations"/>, and <see cref="SyncConversationAsync"/>,
/// which asks a peer for them.
/// </summary>
public sealed partial class SwarmNode
{
    /// <summary>Room an answer of <c>_synapse.conversation.sync</c> leaves for its map around the events.</summary>
    private const int SyncReserve = 256;

    /// <summary>
    /// Asks <paramref name="peer"/> for the events of <paramref name="conversationId"/> created after
    /// <paramref name="since"/> (seconds since the Unix epoch) and stores those this node has not seen, without gossiping
    /// them on, as synapse-p2p does. A Synapse peer sends what fits one answer, oldest first: call again with the
    /// newest <see cref="SwarmConversationEvent.CreatedAt"/> for the rest.
    /// </summary>
    /// <returns>
    /// The events received, oldest first (stored or already known); events of another swarm or team are skipped, and
    /// so are those whose signature does not verify or, with <see cref="SwarmOptions.RequireSignedEvents"/>, that have none.
    /// </returns>
    /// <exception cref="RpcException">The peer could not be asked, or answered something that is not a list of events of that conversation (<c>protocol_error</c>).</exception>
    public async Task<IReadOnlyList<SwarmConversationEvent>> SyncConversationAsync(SwarmPeer peer, string conversationId, double since = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(conversationId);
        var answer = await CallAsync(peer.Address, peer.Port, SwarmEndpoints.ConversationSync, [conversationId, since], null, cancellationToken).ConfigureAwait(false);
        var events = answer["events"] is { Type: MsgPackType.Array } list
            ? list.AsArray()
            : throw new RpcException(RpcErrorCodes.ProtocolError, $"{peer.Id} answered {SwarmEndpoints.ConversationSync} without an 'events' list");
        var received = new List<SwarmConversationEvent>(events.Count);
        foreach (var value in events)
        {
            SwarmConversationEvent incoming;
            try
            {
                incoming = SwarmConversationEvent.FromMsgPack(value);
            }
            catch (Exception e) when (e is SwarmPeerFormatException or InvalidOperationException)
            {
                throw new RpcException(RpcErrorCodes.ProtocolError, $"{peer.Id} sent a malformed conversation event: {e.Message}", e);
            }

            if (incoming.ConversationId != conversationId)
            {
                throw new RpcException(RpcErrorCodes.ProtocolError, $"{peer.Id} sent an event of conversation '{incoming.ConversationId}' when asked for '{conversationId}'");
            }

            if (Membership.MembershipError(incoming.Peer) is not null || SignatureError(incoming) is not null)
            {
                continue; // an event of another swarm or team is skipped, as synapse-p2p skips it; so is a forged or unsigned one
            }

            Conversations.TryAdd(incoming); // history: its authors may be long gone, so membership is left as it is
            received.Add(incoming);
        }

        return received;
    }

    private ValueTask ConversationSync(RpcInvocation call)
    {
        var (args, kwargs) = Arguments(call);
        var conversationId = Argument(args, kwargs, 0, "conversation_id", "conversation_sync").AsString();
        var since = args.Count > 1 ? args[1].AsDouble() : kwargs.Type == MsgPackType.Map && kwargs["since"] is { } value ? value.AsDouble() : 0;
        var budget = call.MaxResponseSize - SyncReserve;
        var fitting = new List<byte[]>();
        foreach (var conversationEvent in Conversations.Since(conversationId, since))
        {
            var encoded = conversationEvent.ToMsgPack().ToBytes();
            budget -= encoded.Length;
            if (budget < 0)
            {
                break; // the caller asks again from the last event it got
            }

            fitting.Add(encoded);
        }

        // {events: [...]}, each event written as it was encoded to measure it.
        var writer = call.BeginResult();
        writer.WriteMapHeader(1);
        writer.WriteString("events");
        writer.WriteArrayHeader(fitting.Count);
        foreach (var encoded in fitting)
        {
            writer.WriteRaw(encoded);
        }

        call.EndResult(ref writer);
        return default;
    }

    private ValueTask ConversationList(RpcInvocation call)
    {
        _ = Arguments(call);
        call.CompleteWith(MsgPackValue.FromArray(Conversations.ConversationIds.Select(id => MsgPackValue.From(id))));
        return default;
    }
}
