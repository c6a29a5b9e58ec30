using Synapse.Identity;
using Synapse.Rpc;

namespace Synapse.Swarm;

/// <summary>
/// Signed events (<see cref="SwarmEventSignatures"/>): this node signs what it emits, checks what it receives, and
/// binds each peer id to one signer.
/// </summary>
public sealed partial class SwarmNode
{
    private readonly Dictionary<string, AgentId> _signers = new(StringComparer.Ordinal);

    /// <summary>The event as this node sends it: signed by the host's identity unless <see cref="SwarmOptions.SignEvents"/> is off.</summary>
    internal SwarmConversationEvent Signed(SwarmConversationEvent conversationEvent) =>
        Options.SignEvents ? SwarmEventSignatures.Sign(conversationEvent, _host.Identity) : conversationEvent;

    /// <summary>The event signed when it is this node's own (its peer is this node); others' events as they are.</summary>
    internal SwarmConversationEvent OwnSigned(SwarmConversationEvent conversationEvent) =>
        conversationEvent.Peer.Id == Membership.SelfId ? Signed(conversationEvent) : conversationEvent;

    /// <summary>Why a received event cannot be stored (its signature, or its lack of one); <c>null</c> when it can.</summary>
    internal string? SignatureError(SwarmConversationEvent received)
    {
        AgentId? signer;
        try
        {
            signer = SwarmEventSignatures.Verify(received);
        }
        catch (SwarmPeerFormatException e)
        {
            return e.Message;
        }

        if (signer is not { } key)
        {
            return Options.RequireSignedEvents ? $"event {received.EventId} is not signed, and this node requires signed events" : null;
        }

        lock (_signers)
        {
            if (!_signers.TryGetValue(received.Peer.Id, out var expected))
            {
                expected = Options.PeerKeys.TryGetValue(received.Peer.Id, out var pinned) ? AgentId.Parse(pinned) : key;
                if (_signers.Count >= Options.MaxRememberedEventIds)
                {
                    _signers.Remove(_signers.Keys.First());
                }

                _signers[received.Peer.Id] = expected;
            }

            return expected == key ? null : $"event {received.EventId} of peer {received.Peer.Id} is signed by {key}, not by {expected}, the key of that peer";
        }
    }

    /// <summary>Refuses, as a <c>bad_request</c>, an event <see cref="SignatureError"/> objects to.</summary>
    private void RequireValidSignature(SwarmConversationEvent received)
    {
        if (SignatureError(received) is { } error)
        {
            throw new RpcException(RpcErrorCodes.BadRequest, error);
        }
    }
}
