using Synapse.Hosting;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Swarm;

/// <summary>The swarm built-ins: <c>_synapse.join</c>, <c>_synapse.heartbeat</c>, <c>_synapse.peers</c>.</summary>
public sealed partial class SwarmNode
{
    /// <summary>Answers a swarm built-in.</summary>
    /// <param name="builtin">Which one.</param>
    /// <param name="call">The call to complete.</param>
    /// <param name="nodeInfo">The encoded <c>_synapse.info</c> answer, sent back by heartbeats.</param>
    internal ValueTask InvokeAsync(Builtin builtin, RpcInvocation call, ReadOnlySpan<byte> nodeInfo)
    {
        var (args, kwargs) = Arguments(call);
        MsgPackValue result;
        switch (builtin)
        {
            case Builtin.Join:
                var joiner = Admit(Argument(args, kwargs, 0, "peer", "join"));
                Membership.Touch(joiner);
                result = MsgPackValue.Map(
                    ("accepted", true),
                    ("self", Self.ToMsgPack()),
                    ("peers", MsgPackValue.FromArray(Membership.Peers.Where(p => p.Id != joiner.Id).Select(p => p.ToMsgPack()))));
                break;
            case Builtin.Heartbeat:
                Membership.Touch(Admit(Argument(args, kwargs, 0, "peer", "heartbeat")));
                var writer = call.BeginResult();
                writer.WriteMapHeader(2);
                writer.WriteString("ok");
                writer.WriteBoolean(true);
                writer.WriteString("self");
                writer.WriteRaw(nodeInfo);
                call.EndResult(ref writer);
                return default;
            case Builtin.Peers:
                result = MsgPackValue.FromArray(Membership.Peers.Select(p => p.ToMsgPack()));
                break;
            default:
                return InvokeConversationAsync(builtin, call, args, kwargs);
        }

        Complete(call, result);
        return default;
    }

    private static void Complete(RpcInvocation call, MsgPackValue result)
    {
        var writer = call.BeginResult();
        result.WriteTo(ref writer);
        call.EndResult(ref writer);
    }

    /// <summary>Decodes a Peer and checks membership; a stranger is a <c>bad_request</c>, as on synapse-p2p.</summary>
    private SwarmPeer Admit(MsgPackValue value)
    {
        var peer = SwarmPeer.FromMsgPack(value);
        return Membership.MembershipError(peer) is { } error ? throw new RpcException(RpcErrorCodes.BadRequest, error) : peer;
    }

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
