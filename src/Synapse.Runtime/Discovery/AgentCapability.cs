using Synapse.Rpc;

namespace Synapse.Discovery;

/// <summary>A capability an agent card advertises: what a finder searches for, with the schemas to call it.</summary>
/// <param name="Name">The capability name, e.g. <c>code-review</c>.</param>
/// <param name="Description">What it does ("" when none).</param>
/// <param name="InputSchema">JSON Schema of its input, as JSON text (<c>{}</c> when none).</param>
/// <param name="OutputSchema">JSON Schema of its output, as JSON text (<c>{}</c> when none).</param>
public sealed record AgentCapability(string Name, string Description, string InputSchema, string OutputSchema)
{
    /// <summary>
    /// The capabilities an agent's generated manifest advertises, as <c>_agent.capabilities</c> lists them: the
    /// declared capabilities first, then every published endpoint, each name once, empty schemas as <c>{}</c>.
    /// </summary>
    /// <param name="descriptor">The generated descriptor (<c>IAgentNode.CreateDispatcher().Descriptor</c>).</param>
    /// <returns>The capabilities, in that order.</returns>
    public static IReadOnlyList<AgentCapability> FromDescriptor(AgentDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var list = new List<AgentCapability>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var capability in descriptor.Capabilities)
        {
            if (seen.Add(capability.Name))
            {
                list.Add(Create(capability.Name, capability.Description, capability.InputSchema, capability.OutputSchema));
            }
        }

        foreach (var endpoint in descriptor.Endpoints)
        {
            if (endpoint.Publish && seen.Add(endpoint.Name))
            {
                list.Add(Create(endpoint.Name, endpoint.Description, endpoint.InputSchema, endpoint.OutputSchema));
            }
        }

        return list;
    }

    private static AgentCapability Create(string name, string description, string input, string output) =>
        new(name, description, string.IsNullOrWhiteSpace(input) ? "{}" : input, string.IsNullOrWhiteSpace(output) ? "{}" : output);
}
