using Synapse.Hosting;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Swarm;

/// <summary>
/// The swarm built-ins: <c>_synapse.join</c>, <c>_synapse.heartbeat</c>, <c>_synapse.peers</c> (here; asks and
/// conversations in <c>SwarmNode.Asks.cs</c>), registered on the host when it starts.
/// </summary>
public sealed partial class SwarmNode : IHostService
{
    /// <summary>Registers the swarm built-ins on the host; <c>_synapse.peers</c> takes over the host's empty answer.</summary>
    /// <param name="builtins">The host's built-ins.</param>
    /// <param name="nodeInfo">The encoded <c>_synapse.info</c> answer, sent back by heartbeats.</param>
    internal void Register(BuiltinRegistry builtins, byte[] nodeInfo)
    {
        builtins.Add(SwarmEndpoints.Join, Join);
        builtins.Add(SwarmEndpoints.Heartbeat, call => Heartbeat(call, nodeInfo));
        builtins.Replace(BuiltinEndpoints.Peers, Peers);
        builtins.Add(SwarmEndpoints.ConversationEvent, ConversationEvent);
        builtins.Add(SwarmEndpoints.BroadcastReply, BroadcastReply);
        builtins.Add(SwarmEndpoints.ConversationSync, ConversationSync);
        builtins.Add(SwarmEndpoints.ConversationList, ConversationList);
        if (Options.ServeAsks)
        {
            builtins.Add(AskEndpoint, Ask, yieldsToAgent: true); // an agent's own synapse.ask endpoint wins
        }

        builtins.BeforeAgentEndpoint = ReceiveBroadcast;
    }

    Task IHostService.StopAsync() => Task.WhenAll(_loop, _lanLoop, _pruneLoop);

    private ValueTask Join(RpcInvocation call)
    {
        var (args, kwargs) = Arguments(call);
        var joiner = Admit(Argument(args, kwargs, 0, "peer", "join"));
        Membership.Touch(joiner);
        call.CompleteWith(MsgPackValue.Map(
            ("accepted", true),
            ("self", Self.ToMsgPack()),
            ("peers", MsgPackValue.FromArray(Membership.Peers.Where(p => p.Id != joiner.Id).Select(p => p.ToMsgPack())))));
        return default;
    }

    private ValueTask Heartbeat(RpcInvocation call, byte[] nodeInfo)
    {
        var (args, kwargs) = Arguments(call);
        var peer = Membership.Touch(Admit(Argument(args, kwargs, 0, "peer", "heartbeat")));
        if (peer is not null)
        {
            Raise(PeerHeartbeat, new SwarmPeerEventArgs(peer), "peer.heartbeat");
        }

        var writer = call.BeginResult();
        writer.WriteMapHeader(2);
        writer.WriteString("ok");
        writer.WriteBoolean(true);
        writer.WriteString("self");
        writer.WriteRaw(nodeInfo);
        call.EndResult(ref writer);
        return default;
    }

    private ValueTask Peers(RpcInvocation call)
    {
        _ = Arguments(call); // malformed arguments are refused, as by every swarm built-in
        call.CompleteWith(MsgPackValue.FromArray(Membership.Peers.Select(p => p.ToMsgPack())));
        return default;
    }

    /// <summary>Decodes a Peer and checks membership; a stranger is a <c>bad_request</c>, as on synapse-p2p.</summary>
    private SwarmPeer Admit(MsgPackValue value) => Admit(SwarmPeer.FromMsgPack(value));

    /// <summary>Checks membership of a decoded Peer.</summary>
    private SwarmPeer Admit(SwarmPeer peer) =>
        Membership.MembershipError(peer) is { } error ? throw new RpcException(RpcErrorCodes.BadRequest, error) : peer;

    private static (IReadOnlyList<MsgPackValue> Args, MsgPackValue Kwargs) Arguments(RpcInvocation call)
    {
        var args = MsgPackValue.Parse(call.Arguments, call.ReaderOptions);
        var kwargs = MsgPackValue.Parse(call.KeywordArguments, call.ReaderOptions);
        return (args.Type == MsgPackType.Array ? args.AsArray() : [], kwargs);
    }

    /// <summary>The positional argument at <paramref name="index"/> or the keyword <paramref name="name"/>, worded as Python's TypeError.</summary>
    private static MsgPackValue Argument(IReadOnlyList<MsgPackValue> args, MsgPackValue kwargs, int index, string name, string function) =>
        index < args.Count ? args[index]
        : kwargs.Type == MsgPackType.Map && kwargs[name] is { } value ? value
        : throw new InvalidOperationException($"{function}() missing 1 required positional argument: '{name}'");
}
