using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Synapse.AI.Tools;
using Synapse.Client;

namespace Synapse.AI.Mcp;

/// <summary>An MCP server whose tools are the endpoints of a Synapse or synapse-p2p node.</summary>
public static class SynapseMcpServer
{
    /// <summary>
    /// Asks the node for its published endpoints (<c>_synapse.methods</c>) and returns one MCP tool per endpoint.
    /// </summary>
    /// <param name="client">The connection to the node.</param>
    /// <param name="namePrefix">Put in front of each tool's name.</param>
    /// <param name="runAsTasks">Run each call as a long-running task on the node (<see cref="SynapseMcpTool.RunsAsTask"/>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="Rpc.RpcException">The node could not be asked.</exception>
    public static async Task<IReadOnlyList<McpServerTool>> ListToolsAsync(SynapseClient client, string? namePrefix = null, bool runAsTasks = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var endpoints = await NodeMethods.ReadAsync(client, cancellationToken).ConfigureAwait(false);
        return [.. endpoints.Select(endpoint => new SynapseMcpTool(client, endpoint, namePrefix) { RunsAsTask = runAsTasks })];
    }

    /// <summary>
    /// Serves <paramref name="tools"/> (from <see cref="ListToolsAsync"/>) over <paramref name="transport"/>
    /// (<see cref="StdioServerTransport"/> for a bridge an MCP client starts as a child process) until the client goes
    /// away or <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="transport">Where the MCP client is.</param>
    /// <param name="tools">The tools.</param>
    /// <param name="serverName">The server's name in the MCP handshake.</param>
    /// <param name="loggerFactory">Where the MCP server logs (never standard output, which a stdio transport owns).</param>
    /// <param name="cancellationToken">Stops serving.</param>
    public static async Task ServeAsync(ITransport transport, IEnumerable<McpServerTool> tools, string serverName, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(tools);
        var options = new McpServerOptions
        {
            ServerInfo = ServerInfo(serverName),
            ToolCollection = [],
        };
        foreach (var tool in tools)
        {
            options.ToolCollection.Add(tool);
        }

        await using var server = McpServer.Create(transport, options, loggerFactory);
        await server.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How a bridge names itself in the MCP handshake: <paramref name="serverName"/> and this package's version.</summary>
    public static Implementation ServerInfo(string serverName) =>
        new() { Name = serverName, Version = typeof(SynapseMcpServer).Assembly.GetName().Version?.ToString() ?? "0.0.0" };
}
