using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Swarm;

/// <summary>
/// A one-way swarm broadcast, synapse-p2p's <c>{nonce, origin, endpoint}</c> envelope: sent by
/// <see cref="SwarmNode.BroadcastAsync"/> as the <c>broadcast</c> keyword of the call, and answered with
/// <see cref="SwarmNode.ReplyAsync"/>. An endpoint receives it by declaring a parameter of this type (bound by the
/// runtime, like <see cref="CallContext"/>; nullable when the endpoint is also called directly), or reads it with
/// <see cref="Of"/>, and answers it with <see cref="ReplyAsync"/>.
/// </summary>
public sealed class SwarmBroadcast
{
    /// <summary>An envelope.</summary>
    /// <param name="nonce">The broadcast's id, also the id of its conversation.</param>
    /// <param name="origin">The peer that broadcast it, where replies go first.</param>
    /// <param name="endpoint">The endpoint it called.</param>
    public SwarmBroadcast(string nonce, SwarmPeer origin, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(endpoint);
        Nonce = nonce;
        Origin = origin;
        Endpoint = endpoint;
    }

    /// <summary>The broadcast's id, also the id of its conversation.</summary>
    public string Nonce { get; }

    /// <summary>The peer that broadcast it, where replies go first.</summary>
    public SwarmPeer Origin { get; }

    /// <summary>The endpoint it called.</summary>
    public string Endpoint { get; }

    /// <summary>The node that received it, which replies; <c>null</c> for an envelope this process made.</summary>
    internal SwarmNode? Receiver { get; init; }

    /// <summary>The keyword that carries the envelope.</summary>
    public const string Keyword = "broadcast";

    /// <summary>The broadcast the call came with, or <c>null</c> for a direct call.</summary>
    public static SwarmBroadcast? Of(CallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Attachment as SwarmBroadcast;
    }

    /// <summary>The broadcast the call came with; for endpoints that only a broadcast may call.</summary>
    /// <exception cref="RpcException"><c>bad_request</c>: the call came without one.</exception>
    public static SwarmBroadcast Required(CallContext context) =>
        Of(context) ?? throw new RpcException(RpcErrorCodes.BadRequest, $"{context.Endpoint} takes a broadcast: send it with a swarm broadcast") { Endpoint = context.Endpoint };

    /// <summary>Replies to the broadcast from the node that received it (<see cref="SwarmNode.ReplyAsync"/>).</summary>
    /// <exception cref="InvalidOperationException">The envelope was not received by a node of this process.</exception>
    public Task ReplyAsync(MsgPackValue result, CancellationToken cancellationToken = default) =>
        (Receiver ?? throw new InvalidOperationException($"broadcast {Nonce} was not received by a swarm node here: reply with SwarmNode.ReplyAsync"))
            .ReplyAsync(this, result, cancellationToken);

    /// <summary>Encodes the envelope in synapse-p2p's key order.</summary>
    public MsgPackValue ToMsgPack() => MsgPackValue.Map(("nonce", Nonce), ("origin", Origin.ToMsgPack()), ("endpoint", Endpoint));

    /// <summary>Decodes an envelope.</summary>
    /// <exception cref="SwarmPeerFormatException">It is not a map with a string nonce, a Peer origin and a string endpoint.</exception>
    public static SwarmBroadcast FromMsgPack(MsgPackValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Type != MsgPackType.Map)
        {
            throw new SwarmPeerFormatException("broadcast must be a map");
        }

        return new SwarmBroadcast(
            value["nonce"] is { Type: MsgPackType.String } nonce ? nonce.AsString() : throw new SwarmPeerFormatException("broadcast has no string 'nonce'"),
            SwarmPeer.FromMsgPack(value["origin"] ?? throw new SwarmPeerFormatException("broadcast has no 'origin'")),
            value["endpoint"] is { Type: MsgPackType.String } endpoint ? endpoint.AsString() : throw new SwarmPeerFormatException("broadcast has no string 'endpoint'"));
    }
}
