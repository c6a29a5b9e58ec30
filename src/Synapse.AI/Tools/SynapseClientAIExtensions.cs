using Microsoft.Extensions.AI;
using Synapse.Client;
using Synapse.Rpc;

namespace Synapse.AI.Tools;

/// <summary>A node's endpoints as tools for an <see cref="IChatClient"/> with function invocation.</summary>
public static class SynapseClientAIExtensions
{
    /// <summary>
    /// Asks the node for its published endpoints (<c>_synapse.methods</c>, which Python synapse-p2p nodes serve too) and
    /// returns one tool per endpoint, with the node's descriptions and JSON Schemas.
    /// </summary>
    /// <param name="client">The connection to the node.</param>
    /// <param name="namePrefix">Put in front of each tool's name, to tell several nodes' tools apart.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="RpcException">The node could not be asked, or its answer is not a list of endpoints.</exception>
    public static async Task<IReadOnlyList<AIFunction>> ListAIFunctionsAsync(this SynapseClient client, string? namePrefix = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var endpoints = await NodeMethods.ReadAsync(client, cancellationToken).ConfigureAwait(false);
        return [.. endpoints.Select(endpoint => new SynapseFunction(client, endpoint, namePrefix))];
    }

    /// <summary>
    /// One tool per published endpoint of <paramref name="descriptor"/>, the generated descriptor of an agent class
    /// (<c>AgentHost.Descriptor</c>, or <c>new MyAgent().CreateDispatcher().Descriptor</c>): no round trip, the schemas
    /// are those compiled into the agent.
    /// </summary>
    /// <param name="client">The connection to a node that runs the agent.</param>
    /// <param name="descriptor">The agent's generated descriptor.</param>
    /// <param name="namePrefix">Put in front of each tool's name.</param>
    public static IReadOnlyList<AIFunction> AsAIFunctions(this SynapseClient client, AgentDescriptor descriptor, string? namePrefix = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(descriptor);
        return [.. descriptor.Endpoints.Where(endpoint => endpoint.Publish).Select(endpoint => new SynapseFunction(client, endpoint, namePrefix))];
    }
}
