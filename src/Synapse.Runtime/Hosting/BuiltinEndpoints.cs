using Synapse.Discovery;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Hosting;

/// <summary>
/// The host's own built-ins, named as synapse-p2p names them: <c>_synapse.ping</c>, <c>_synapse.methods</c>,
/// <c>_synapse.info</c>, <c>_agent.info</c>/<c>_node.info</c>, <c>_agent.capabilities</c>/<c>_node.capabilities</c>,
/// the default <c>_synapse.peers</c>, and the placeholder for <c>_synapse.hello</c>. Their answers are encoded once
/// when the host starts, so serving them copies bytes and nothing else.
/// </summary>
internal sealed class BuiltinEndpoints
{
    /// <summary>The known swarm peers; a host that is no swarm member answers an empty list, as every synapse-p2p node does.</summary>
    public const string Peers = "_synapse.peers";

    private const string Methods = "_synapse.methods";
    private const string Info = "_synapse.info";
    private const string AgentInfo = "_agent.info";
    private const string NodeInfoV2 = "_node.info";
    private const string Capabilities = "_agent.capabilities";
    private const string NodeCapabilities = "_node.capabilities";

    private readonly byte[] _pong;
    private readonly byte[] _methods;
    private readonly byte[] _agentInfo;
    private readonly byte[] _capabilities;
    private readonly byte[] _noPeers = MsgPackValue.FromArray([]).ToBytes();

    public BuiltinEndpoints(AgentDescriptor descriptor, string nodeId, NodeProfile profile, HostAddress address)
    {
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
            .. (e.Streaming ? [("streaming", true)] : Array.Empty<(string, MsgPackValue)>()), // only where it is true: synapse-p2p's entries keep their shape
        ]))).ToBytes();
        NodeInfo = MsgPackValue.Map(
        [
            ("id", nodeId),
            ("name", descriptor.Name),
            ("kind", profile.Kind),
            ("address", address.Address),
            ("port", address.Port),
            ("swarm", MsgPackValue.From(profile.Swarm)),
            ("team", profile.Team),
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
    }

    /// <summary>The encoded <c>_synapse.info</c> answer (swarm heartbeats send it back too).</summary>
    public byte[] NodeInfo { get; }

    /// <summary>Registers the host's built-ins, and <paramref name="dispatcher"/>'s <c>_agent.ask</c>.</summary>
    public void Register(BuiltinRegistry builtins, AgentDispatcher dispatcher)
    {
        // _synapse.hello is answered by ServerConnection as a connection's first request; unregistered otherwise, as
        // on synapse-p2p. Registered so that an agent endpoint cannot take the name.
        builtins.Add(RpcProtocol.HelloEndpoint, static _ => throw CallExecutor.UnregisteredEndpoint(RpcProtocol.HelloEndpoint));
        builtins.Add(RpcProtocol.PingEndpoint, Fixed(_pong));
        builtins.Add(Methods, Fixed(_methods));
        builtins.Add(Info, Fixed(NodeInfo));
        builtins.Add(AgentInfo, Fixed(_agentInfo));
        builtins.Add(NodeInfoV2, Fixed(_agentInfo));
        builtins.Add(Capabilities, Fixed(_capabilities));
        builtins.Add(NodeCapabilities, Fixed(_capabilities));
        AskBuiltin.Register(builtins, dispatcher);
        builtins.Add(Peers, Fixed(_noPeers));
    }

    /// <summary>The hello answer: the protocol and the features this host offers.</summary>
    public static MsgPackValue HelloResult(AgentHostOptions options, string nodeId) => MsgPackValue.Map(
    [
        ("protocol", RpcProtocol.ProtocolName),
        ("features", MsgPackValue.FromArray([RpcProtocol.FeatureMultiplex, RpcProtocol.FeatureCancel, RpcProtocol.FeatureTraceContext, RpcProtocol.FeatureStream, RpcProtocol.FeatureProgress])),
        ("max_frame_size", options.MaxFrameSize),
        ("node_id", nodeId),
    ]);

    /// <summary>A handler that writes <paramref name="result"/>, encoded already, as the call's result.</summary>
    internal static BuiltinHandler Fixed(byte[] result) => call =>
    {
        var writer = call.BeginResult();
        writer.WriteRaw(result);
        call.EndResult(ref writer);
        return default;
    };

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
