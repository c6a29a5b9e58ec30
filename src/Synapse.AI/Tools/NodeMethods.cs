using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.AI.Tools;

/// <summary>A node's published endpoints as its <c>_synapse.methods</c> lists them (Python synapse-p2p nodes serve it too).</summary>
internal static class NodeMethods
{
    /// <exception cref="RpcException">The node could not be asked, or its answer is not a list of endpoints.</exception>
    public static async Task<IReadOnlyList<EndpointDescriptor>> ReadAsync(SynapseClient client, CancellationToken cancellationToken)
    {
        var methods = await client.CallAsync("_synapse.methods", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (methods.Type != MsgPackType.Array)
        {
            throw new RpcException(RpcErrorCodes.ProtocolError, $"_synapse.methods answered {methods.Type}, not a list of endpoints");
        }

        var endpoints = new List<EndpointDescriptor>();
        foreach (var method in methods.AsArray())
        {
            if (method["name"] is not { Type: MsgPackType.String } name)
            {
                throw new RpcException(RpcErrorCodes.ProtocolError, $"_synapse.methods listed an endpoint without a name: {method.ToJson()}");
            }

            endpoints.Add(new EndpointDescriptor(
                name.AsString(),
                Publish: true,
                Description: method["description"] is { Type: MsgPackType.String } description ? description.AsString() : "",
                InputSchema: method["input_schema"] is { Type: MsgPackType.Map } input ? input.ToJson() : """{"type":"object","properties":{}}""",
                OutputSchema: method["output_schema"] is { Type: MsgPackType.Map } output ? output.ToJson() : "",
                Streaming: method["streaming"] is { Type: MsgPackType.Boolean } streaming && streaming.AsBoolean()));
        }

        return endpoints;
    }
}
