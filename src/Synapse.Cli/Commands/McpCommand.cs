using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;
using Synapse.AI.Mcp;
using Synapse.Rpc;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse mcp serve HOST:PORT [--http URL] [--tasks] [--prefix NAME] [--identity FILE] [--timeout SECONDS]</c>: an MCP
/// server whose tools are the node's endpoints, on standard input and output for an MCP client that starts it as a
/// child process, or with <c>--http</c> on MCP's Streamable HTTP transport for clients that connect to a URL.
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
        var http = new Option<string?>("--http")
        {
            Description = "Serve MCP's Streamable HTTP transport at this URL instead of stdio, e.g. http://127.0.0.1:3001/mcp",
            HelpName = "URL",
        };
        var tasks = new Option<bool>("--tasks")
        {
            Description = "Run each tool call as a long-running task on the node: progress and partial results as notifications, its questions asked of the MCP client's user, survives a dropped connection to the node",
        };
        var command = new Command("serve", "Serve a Synapse or synapse-p2p node's endpoints as MCP tools over standard input and output (MCP's stdio transport), or over Streamable HTTP");
        node.AddTo(command);
        command.Options.Add(prefix);
        command.Options.Add(http);
        command.Options.Add(tasks);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var url = parse.GetValue(http) is { } text ? HttpUrl(text) : null;
            using var target = node.Read(parse);
            await using var client = target.CreateClient();
            try
            {
                var tools = await SynapseMcpServer.ListToolsAsync(client, parse.GetValue(prefix), parse.GetValue(tasks), cancellationToken).ConfigureAwait(false);
                if (url is not null)
                {
                    await ServeHttpAsync(url, tools, $"serving {tools.Count} tool(s) of {target.Address} over MCP Streamable HTTP", console, cancellationToken).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }

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

    /// <summary>The URL of <c>--http</c>: absolute, <c>http</c> (put TLS in a proxy in front), with a port.</summary>
    /// <exception cref="CliException">It is none of that (usage error).</exception>
    private static Uri HttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && string.IsNullOrEmpty(url.Query)
            ? url
            : throw CliException.Usage($"--http must be an http:// URL with no query, such as http://127.0.0.1:3001/mcp, not '{text}' (for https, put a TLS proxy in front)");

    /// <summary>Serves <paramref name="tools"/> on Kestrel at <paramref name="url"/> until cancelled (MCP sessions are stateful, so cancellation and progress reach their calls).</summary>
    private static async Task ServeHttpAsync(Uri url, IReadOnlyList<McpServerTool> tools, string serving, CliConsole console, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url.GetLeftPart(UriPartial.Authority));
        builder.Services.AddMcpServer(options => options.ServerInfo = SynapseMcpServer.ServerInfo("synapse")).WithHttpTransport().WithTools(tools);
        await using var app = builder.Build();
        app.MapMcp(url.AbsolutePath);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        console.Report($"{serving} at {url}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: stop serving.
        }

        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
