using System.CommandLine;
using ModelContextProtocol.Server;
using Synapse.AI.Mcp;
using Synapse.Rpc;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse mcp serve HOST:PORT [--prefix NAME] [--identity FILE] [--timeout SECONDS]</c>: an MCP server on standard
/// input and output whose tools are the node's endpoints, for an MCP client that starts it as a child process.
/// </summary>
internal static class McpCommand
{
    public static Command Create(CliConsole console) =>
        new("mcp", "Bridge a node to the Model Context Protocol")
        {
            Serve(console),
        };

    private static Command Serve(CliConsole console)
    {
        var node = new NodeOptions();
        var prefix = new Option<string?>("--prefix") { Description = "Put in front of every tool's name, e.g. billing_" };
        var command = new Command("serve", "Serve a Synapse or synapse-p2p node's endpoints as MCP tools over standard input and output (MCP's stdio transport)");
        node.AddTo(command);
        command.Options.Add(prefix);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var target = node.Read(parse);
            await using var client = target.CreateClient();
            try
            {
                var tools = await SynapseMcpServer.ListToolsAsync(client, parse.GetValue(prefix), cancellationToken).ConfigureAwait(false);
                console.Report($"serving {tools.Count} tool(s) of {target.Address} over MCP stdio");
                await using var transport = new StdioServerTransport("synapse");
                await SynapseMcpServer.ServeAsync(transport, tools, "synapse", cancellationToken: cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw RpcErrors.Describe(e, target.Address, "_synapse.methods");
            }
        });
        return command;
    }
}
