using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Artifacts;

/// <summary>
/// <c>_synapse.artifacts</c> (the descriptors, without content) and <c>_synapse.artifact.get(name)</c> (one artifact;
/// an unknown name is <c>bad_request</c> "unknown artifact: NAME", as synapse-p2p answers), served from a catalog, with
/// the agent's card as <c>agent-card</c> unless the catalog has its own.
/// </summary>
internal sealed class ArtifactEndpoints(ArtifactCatalog catalog, ServedArtifact agentCard)
{
    public const string List = "_synapse.artifacts";
    public const string Get = "_synapse.artifact.get";

    /// <summary>The name of the agent card artifact.</summary>
    public const string AgentCardName = "agent-card";

    /// <summary>The card a host serves for its agent: its name, role, description, capabilities and agent id.</summary>
    public static ServedArtifact AgentCard(AgentDescriptor descriptor, string agentId, IEnumerable<string> capabilities) =>
        ServedArtifact.FromValue(AgentCardName, MsgPackValue.Map(
        [
            ("name", descriptor.Name),
            ("role", descriptor.Role),
            ("description", descriptor.Description),
            ("capabilities", MsgPackValue.FromArray(capabilities.Select(c => MsgPackValue.From(c)))),
            ("agent_id", agentId),
        ]), ServedArtifact.AgentCardMimeType, description: "Self-description for peers that understand agent cards.");

    public void Register(BuiltinRegistry builtins)
    {
        builtins.Add(List, call => Answer(call, MsgPackValue.FromArray(Served().Select(a => a.DescriptorToMsgPack()))));
        builtins.Add(Get, call =>
        {
            var arguments = BuiltinArguments.Read(call, "name");
            var name = arguments.String(0, "name", "the artifact's name, as _synapse.artifacts lists it");
            var artifact = Served().FirstOrDefault(a => a.Name == name) ?? throw new RpcException(RpcErrorCodes.BadRequest, $"unknown artifact: {name}");
            return Answer(call, artifact.ToMsgPack());
        });
    }

    private IEnumerable<ServedArtifact> Served()
    {
        var all = catalog.All();
        return all.Any(a => a.Name == AgentCardName) ? all : [agentCard, .. all];
    }

    private static ValueTask Answer(RpcInvocation call, MsgPackValue result)
    {
        call.CompleteWith(result);
        return default;
    }
}
