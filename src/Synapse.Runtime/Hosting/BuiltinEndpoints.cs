using Synapse.Discovery;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Swarm;

namespace Synapse.Hosting;

/// <summary>The endpoints every node serves, named as synapse-p2p names them.</summary>
internal enum Builtin
{
    None,
    Hello,
    Ping,
    Methods,
    NodeInfo,
    AgentInfo,
    Capabilities,
    Ask,
    Evidence,
    Join,
    Heartbeat,
    Peers,
    ConversationEvent,
    BroadcastReply,
    SwarmAsk,
}

/// <summary>
/// Resolves and answers the built-in endpoints. Manifest answers are encoded once when the host starts, so serving
/// them copies bytes and nothing else.
/// </summary>
internal sealed class BuiltinEndpoints
{
    private readonly byte[] _pong;
    private readonly byte[] _methods;
    private readonly byte[] _nodeInfo;
    private readonly byte[] _agentInfo;
    private readonly byte[] _capabilities;
    private readonly byte[] _noPeers = MsgPackValue.FromArray([]).ToBytes();

    public BuiltinEndpoints(AgentDescriptor descriptor, string nodeId, AgentHostOptions options, string address, int port)
    {
        var swarm = options.SwarmNode;
        var capabilities = BuildCapabilities(descriptor);
        var capabilityNames = MsgPackValue.FromArray(capabilities.Select(c => c["name"]!));
        _pong = MsgPackValue.From("pong").ToBytes();
        _methods = MsgPackValue.FromArray(descriptor.Endpoints.Where(e => e.Publish).Select(e => MsgPackValue.Map(
        [
            ("name", e.Name),
            ("publish", e.Publish),
            ("description", e.Description),
            ("input_schema", MsgPackValue.ParseJson(e.InputSchema)),
            ("output_schema", MsgPackValue.ParseJson(e.OutputSchema)),
        ]))).ToBytes();
        _nodeInfo = MsgPackValue.Map(
        [
            ("id", nodeId),
            ("name", descriptor.Name),
            ("kind", swarm?.Kind ?? options.Kind),
            ("address", address),
            ("port", port),
            ("swarm", MsgPackValue.From(swarm is null ? options.Swarm : swarm.Swarm)),
            ("team", swarm is null ? options.Team : swarm.Team),
            ("role", descriptor.Role),
            ("description", descriptor.Description),
            ("capabilities", capabilityNames),
        ]).ToBytes();
        _agentInfo = MsgPackValue.Map(
        [
            ("name", descriptor.Name),
            ("role", descriptor.Role),
            ("description", descriptor.Description),
            ("capabilities", capabilityNames),
        ]).ToBytes();
        _capabilities = MsgPackValue.FromArray(capabilities).ToBytes();
        Evidence = options.ReputationBook is { } book ? new EvidenceEndpoint(book) : null;
    }

    /// <summary>The <c>_agent.evidence</c> built-in; <c>null</c> (unregistered) when the host has no reputation book.</summary>
    public EvidenceEndpoint? Evidence { get; }

    /// <summary>The host's swarm membership; <c>null</c> leaves the swarm built-ins unregistered.</summary>
    public SwarmNode? Swarm { get; set; }

    /// <summary>Returns the built-in named <paramref name="name"/>, or <see cref="Builtin.None"/>.</summary>
    public static Builtin Find(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name[0] != (byte)'_')
        {
            return name.SequenceEqual("synapse.ask"u8) ? Builtin.SwarmAsk : Builtin.None;
        }

        if (name.SequenceEqual("_synapse.ping"u8))
        {
            return Builtin.Ping;
        }

        if (name.SequenceEqual("_synapse.hello"u8))
        {
            return Builtin.Hello;
        }

        if (name.SequenceEqual("_synapse.methods"u8))
        {
            return Builtin.Methods;
        }

        if (name.SequenceEqual("_synapse.info"u8))
        {
            return Builtin.NodeInfo;
        }

        if (name.SequenceEqual("_agent.info"u8) || name.SequenceEqual("_node.info"u8))
        {
            return Builtin.AgentInfo;
        }

        if (name.SequenceEqual("_agent.capabilities"u8) || name.SequenceEqual("_node.capabilities"u8))
        {
            return Builtin.Capabilities;
        }

        if (name.SequenceEqual("_agent.ask"u8) || name.SequenceEqual("_node.ask"u8))
        {
            return Builtin.Ask;
        }

        if (name.SequenceEqual("_agent.evidence"u8))
        {
            return Builtin.Evidence;
        }

        return FindSwarm(name);
    }

    private static Builtin FindSwarm(ReadOnlySpan<byte> name)
    {
        if (name.SequenceEqual("_synapse.join"u8))
        {
            return Builtin.Join;
        }

        if (name.SequenceEqual("_synapse.heartbeat"u8))
        {
            return Builtin.Heartbeat;
        }

        if (name.SequenceEqual("_synapse.peers"u8))
        {
            return Builtin.Peers;
        }

        if (name.SequenceEqual("_synapse.conversation.event"u8))
        {
            return Builtin.ConversationEvent;
        }

        if (name.SequenceEqual("_synapse.broadcast.reply"u8))
        {
            return Builtin.BroadcastReply;
        }

        return Builtin.None;
    }

    /// <summary>The wire name of a built-in (its synapse-p2p v1 name where there are two).</summary>
    public static string Name(Builtin builtin) => builtin switch
    {
        Builtin.Hello => RpcProtocol.HelloEndpoint,
        Builtin.Ping => "_synapse.ping",
        Builtin.Methods => "_synapse.methods",
        Builtin.NodeInfo => "_synapse.info",
        Builtin.AgentInfo => "_agent.info",
        Builtin.Capabilities => "_agent.capabilities",
        Builtin.Ask => "_agent.ask",
        Builtin.Evidence => EvidenceEndpoint.Name,
        Builtin.Join => "_synapse.join",
        Builtin.Heartbeat => "_synapse.heartbeat",
        Builtin.Peers => "_synapse.peers",
        Builtin.ConversationEvent => "_synapse.conversation.event",
        Builtin.BroadcastReply => "_synapse.broadcast.reply",
        Builtin.SwarmAsk => "synapse.ask",
        _ => throw new ArgumentOutOfRangeException(nameof(builtin), builtin, null),
    };

    /// <summary>The encoded result of a built-in that has a fixed answer.</summary>
    public ReadOnlySpan<byte> FixedResult(Builtin builtin) => builtin switch
    {
        Builtin.Ping => _pong,
        Builtin.Methods => _methods,
        Builtin.NodeInfo => _nodeInfo,
        Builtin.AgentInfo => _agentInfo,
        Builtin.Capabilities => _capabilities,
        Builtin.Peers => _noPeers, // without a swarm; a swarm member answers with its membership
        _ => throw new ArgumentOutOfRangeException(nameof(builtin), builtin, "no fixed result"),
    };

    /// <summary>The hello answer: the protocol and the features this host offers.</summary>
    public static MsgPackValue HelloResult(AgentHostOptions options, string nodeId) => MsgPackValue.Map(
    [
        ("protocol", RpcProtocol.ProtocolName),
        ("features", MsgPackValue.FromArray([RpcProtocol.FeatureMultiplex, RpcProtocol.FeatureCancel])),
        ("max_frame_size", options.MaxFrameSize),
        ("node_id", nodeId),
    ]);

    /// <summary>Declared capabilities first, then every published endpoint, each with its schemas (as agent cards list them).</summary>
    private static List<MsgPackValue> BuildCapabilities(AgentDescriptor descriptor) =>
        [.. AgentCapability.FromDescriptor(descriptor).Select(capability => MsgPackValue.Map(
        [
            ("name", capability.Name),
            ("description", capability.Description),
            ("input_schema", MsgPackValue.ParseJson(capability.InputSchema)),
            ("output_schema", MsgPackValue.ParseJson(capability.OutputSchema)),
        ]))];
}
