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
    private readonly ArtifactCatalog.Encoded _agentCard = ArtifactCatalog.Encoded.Of(agentCard);

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
        builtins.Add(List, call =>
        {
            var all = catalog.AllEncoded();
            var withCard = !all.Any(a => a.Name == AgentCardName);
            var writer = call.BeginResult();
            writer.WriteArrayHeader(all.Count + (withCard ? 1 : 0));
            if (withCard)
            {
                writer.WriteRaw(_agentCard.Descriptor);
            }

            foreach (var artifact in all)
            {
                writer.WriteRaw(artifact.Descriptor);
            }

            call.EndResult(ref writer);
            return default;
        });
        builtins.Add(Get, call =>
        {
            var arguments = BuiltinArguments.Read(call, "name");
            var name = arguments.String(0, "name", "the artifact's name, as _synapse.artifacts lists it");
            var artifact = catalog.FindEncoded(name) ?? (name == AgentCardName ? _agentCard : null) ?? throw new RpcException(RpcErrorCodes.BadRequest, $"unknown artifact: {name}");
            var writer = call.BeginResult();
            writer.WriteRaw(artifact.Artifact);
            call.EndResult(ref writer);
            return default;
        });
    }
}
