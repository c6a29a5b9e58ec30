using System.Security.Cryptography;
using Synapse.MessagePack;

namespace Synapse.Swarm;

/// <summary>
/// One event of a swarm conversation, synapse-p2p's ConversationEvent map
/// <c>{conversation_id, event_id, kind, peer, payload, parent_id, created_at, metadata}</c>.
/// </summary>
/// <param name="ConversationId">The conversation (a broadcast's nonce for asks).</param>
/// <param name="EventId">The event's unique id (64 random hex digits).</param>
/// <param name="Kind"><c>message</c>, <c>ack</c>, <c>reply</c>, <c>error</c> or an application kind.</param>
/// <param name="Peer">The peer that produced the event.</param>
/// <param name="Payload">The event's map.</param>
/// <param name="ParentId">The event this one answers, if any.</param>
/// <param name="CreatedAt">Seconds since the Unix epoch.</param>
/// <param name="Metadata">Free-form map.</param>
public sealed record SwarmConversationEvent(
    string ConversationId, string EventId, string Kind, SwarmPeer Peer, MsgPackValue Payload, string? ParentId, double CreatedAt, MsgPackValue Metadata)
{
    /// <summary>A new event with a random id.</summary>
    public static SwarmConversationEvent Create(string conversationId, string kind, SwarmPeer peer, MsgPackValue payload, string? parentId, double createdAt) =>
        new(conversationId, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), kind, peer, payload, parentId, createdAt, EmptyMap);

    /// <summary>An empty map, the default payload and metadata.</summary>
    public static MsgPackValue EmptyMap { get; } = MsgPackValue.FromMap(Array.Empty<KeyValuePair<string, MsgPackValue>>());

    /// <summary>Encodes the event in synapse-p2p's key order.</summary>
    public MsgPackValue ToMsgPack() => MsgPackValue.FromMap(new KeyValuePair<string, MsgPackValue>[]
    {
        new("conversation_id", ConversationId),
        new("event_id", EventId),
        new("kind", Kind),
        new("peer", Peer.ToMsgPack()),
        new("payload", Payload),
        new("parent_id", ParentId),
        new("created_at", CreatedAt),
        new("metadata", Metadata),
    });

    /// <summary>Decodes an event; extra keys are ignored, as synapse-p2p does.</summary>
    /// <exception cref="SwarmPeerFormatException">A required field is missing or mistyped.</exception>
    public static SwarmConversationEvent FromMsgPack(MsgPackValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Type != MsgPackType.Map)
        {
            throw new SwarmPeerFormatException("conversation event must be a map");
        }

        return new SwarmConversationEvent(
            Text(value, "conversation_id"),
            Text(value, "event_id"),
            Text(value, "kind"),
            SwarmPeer.FromMsgPack(value["peer"] ?? throw new SwarmPeerFormatException("conversation event has no 'peer'")),
            value["payload"] is { Type: MsgPackType.Map } payload ? payload : EmptyMap,
            value["parent_id"] is { Type: MsgPackType.String } parent ? parent.AsString() : null,
            value["created_at"] is { Type: MsgPackType.Float or MsgPackType.Integer } created ? created.AsDouble() : 0,
            value["metadata"] is { Type: MsgPackType.Map } metadata ? metadata : EmptyMap);
    }

    private static string Text(MsgPackValue map, string key) =>
        map[key] is { Type: MsgPackType.String } text ? text.AsString() : throw new SwarmPeerFormatException($"conversation event has no string '{key}'");
}
