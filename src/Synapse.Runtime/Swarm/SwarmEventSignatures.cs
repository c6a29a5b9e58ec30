using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Signing;

namespace Synapse.Swarm;

/// <summary>
/// Signed conversation events, beyond synapse-p2p without breaking it: a Synapse node puts an Ed25519 signature of
/// each event it emits in the event's <c>metadata</c>, as <c>synapse_signature: {signer: did:key, sig: bin}</c>, which
/// Python nodes keep and gossip on unread. The signature covers <c>[conversation_id, event_id, kind, peer.id,
/// payload, parent_id, created_at]</c> as MessagePack, re-encoded from the values, so how a peer re-encodes them on
/// the way does not matter.
/// </summary>
public static class SwarmEventSignatures
{
    /// <summary>The metadata key of the signature.</summary>
    public const string MetadataKey = "synapse_signature";

    private static readonly SignatureDomain Domain = new("synapse-swarm-event-v1", 16 * 1024 * 1024);

    /// <summary>The event with its signature by <paramref name="signer"/> added to its metadata.</summary>
    public static SwarmConversationEvent Sign(SwarmConversationEvent conversationEvent, AgentIdentity signer)
    {
        ArgumentNullException.ThrowIfNull(conversationEvent);
        ArgumentNullException.ThrowIfNull(signer);
        var signature = Domain.Sign(signer, Body(conversationEvent));
        var metadata = conversationEvent.Metadata.AsMap()
            .Where(e => !(e.Key.Type == MsgPackType.String && e.Key.AsString() == MetadataKey))
            .Append(new(MetadataKey, MsgPackValue.Map(("signer", signer.Id.ToString()), ("sig", MsgPackValue.From(signature)))));
        return conversationEvent with { Metadata = MsgPackValue.FromMap([.. metadata]) };
    }

    /// <summary>Checks the event's signature, if it has one.</summary>
    /// <returns>The signer, or <c>null</c> for an unsigned event.</returns>
    /// <exception cref="SwarmPeerFormatException">The signature is malformed or does not verify, saying which.</exception>
    public static AgentId? Verify(SwarmConversationEvent conversationEvent)
    {
        ArgumentNullException.ThrowIfNull(conversationEvent);
        if (conversationEvent.Metadata[MetadataKey] is not { } signed)
        {
            return null;
        }

        if (signed["signer"] is not { Type: MsgPackType.String } did || signed["sig"] is not { Type: MsgPackType.Binary } sig)
        {
            throw new SwarmPeerFormatException($"event {conversationEvent.EventId} has a malformed {MetadataKey}: it needs a 'signer' string and a 'sig' binary");
        }

        if (!AgentId.TryParse(did.AsString(), out var signer, out var error))
        {
            throw new SwarmPeerFormatException($"event {conversationEvent.EventId} names a signer that is not an agent id: {error}");
        }

        var check = Domain.Check(signer, Body(conversationEvent), sig.AsBinary().Span);
        return check == SignatureCheck.Valid ? signer : throw new SwarmPeerFormatException($"event {conversationEvent.EventId} does not carry a valid signature of {signer} ({check})");
    }

    private static byte[] Body(SwarmConversationEvent e) => MsgPackValue.FromArray(
        [e.ConversationId, e.EventId, e.Kind, e.Peer.Id, e.Payload, e.ParentId, e.CreatedAt]).ToBytes();
}
