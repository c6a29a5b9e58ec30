using Synapse.MessagePack;

namespace Synapse.Swarm;

/// <summary>Events this node writes into a conversation (synapse-p2p's <c>emit_conversation_event</c>).</summary>
public sealed partial class SwarmNode
{
    /// <summary>
    /// Stores a new event of this node in <paramref name="conversationId"/>, then gossips it to every known peer, which
    /// store it once and gossip it on. Handlers of its kind here run before this returns.
    /// </summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="kind">The event's kind.</param>
    /// <param name="payload">Its map; empty when <c>null</c>.</param>
    /// <param name="parentId">The event it answers, if any.</param>
    /// <param name="cancellationToken">Stops waiting for the peers.</param>
    /// <returns>The event (signed, unless <see cref="SwarmOptions.SignEvents"/> is off), once every peer was called (failures are logged).</returns>
    public async Task<SwarmConversationEvent> EmitAsync(string conversationId, string kind, MsgPackValue? payload = null, string? parentId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        if (payload is not null && payload.Type != MsgPackType.Map)
        {
            throw new ArgumentException("an event's payload is a map", nameof(payload));
        }

        return await EmitAsync(conversationId, kind, payload ?? SwarmConversationEvent.EmptyMap, parentId, null).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores a new (signed) event of this node and sends it to <paramref name="first"/>, if any, and every known peer.</summary>
    private async Task<SwarmConversationEvent> EmitAsync(string conversationId, string kind, MsgPackValue payload, string? parentId, SwarmPeer? first)
    {
        var emitted = Signed(SwarmConversationEvent.Create(conversationId, kind, Self, payload, parentId, Membership.Now));
        Conversations.TryAdd(emitted);
        await SendAsync(SwarmEndpoints.ConversationEvent, [emitted.ToMsgPack()], null, first, null).ConfigureAwait(false);
        return emitted;
    }
}
