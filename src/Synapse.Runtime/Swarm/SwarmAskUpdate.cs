using Synapse.MessagePack;

namespace Synapse.Swarm;

/// <summary>What happened to one asked peer's part of a swarm ask, as <see cref="SwarmAskOptions.Progress"/> reports it.</summary>
public enum SwarmAskUpdateKind
{
    /// <summary>The peer is about to be sent <c>synapse.ask</c>; reported for every asked peer before any call.</summary>
    Asked,

    /// <summary>Its <c>ack</c> conversation event arrived.</summary>
    Acknowledged,

    /// <summary>Its reply arrived (<see cref="SwarmAskUpdate.Result"/>).</summary>
    Replied,

    /// <summary>Its task failed or its reply was too large (<see cref="SwarmAskUpdate.Error"/>).</summary>
    Failed,

    /// <summary>The call to it failed (<see cref="SwarmAskUpdate.Error"/>); a reply or failure may still follow.</summary>
    Unreachable,
}

/// <summary>One step of a swarm ask, reported as it happens.</summary>
/// <param name="Nonce">The ask's nonce, also its conversation's id.</param>
/// <param name="Peer">The asked peer, as it was when asked.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Result">The reply's <c>result</c>, for <see cref="SwarmAskUpdateKind.Replied"/>.</param>
/// <param name="Error">Why, for <see cref="SwarmAskUpdateKind.Failed"/> and <see cref="SwarmAskUpdateKind.Unreachable"/>.</param>
public sealed record SwarmAskUpdate(string Nonce, SwarmPeer Peer, SwarmAskUpdateKind Kind, MsgPackValue? Result = null, string? Error = null);
