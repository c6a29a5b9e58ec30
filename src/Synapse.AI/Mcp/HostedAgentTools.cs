using System.Net;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Microsoft.Extensions.Options;
using Synapse.Client;
using Synapse.Hosting;

namespace Synapse.AI.Mcp;

/// <summary>The agents <see cref="SynapseMcpServerBuilderExtensions.WithSynapseAgentTools"/> named, and the prefix of each one's tools.</summary>
internal sealed class HostedAgentToolsOptions
{
    public List<(string Agent, string? Prefix, bool RunAsTasks)> Agents { get; } = [];
}

/// <summary>
/// The tools of an app's hosted agents, made at the first MCP request (when the agents run): a loopback client per
/// agent and a <see cref="SynapseMcpTool"/> per published endpoint of its generated descriptor.
/// </summary>
internal sealed class HostedAgentTools(SynapseAgents agents, IOptions<HostedAgentToolsOptions> options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _making = new(1, 1);
    private readonly List<SynapseClient> _clients = [];
    private Dictionary<string, SynapseMcpTool>? _tools;

    public async ValueTask<ListToolsResult> ListAsync(CancellationToken cancellationToken) =>
        new() { Tools = [.. (await ToolsAsync(cancellationToken).ConfigureAwait(false)).Values.Select(tool => tool.ProtocolTool)] };

    public async ValueTask<CallToolResult> CallAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var name = request.Params?.Name ?? "";
        return (await ToolsAsync(cancellationToken).ConfigureAwait(false)).TryGetValue(name, out var tool)
            ? await tool.InvokeAsync(request, cancellationToken).ConfigureAwait(false)
            : throw new McpException($"unknown tool '{name}'");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        _making.Dispose();
    }

    private async ValueTask<Dictionary<string, SynapseMcpTool>> ToolsAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _tools) is { } made)
        {
            return made;
        }

        await _making.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tools is not null)
            {
                return _tools;
            }

            var tools = new Dictionary<string, SynapseMcpTool>(StringComparer.Ordinal);
            foreach (var (agent, prefix, runAsTasks) in options.Value.Agents)
            {
                var host = agents.Names.Contains(agent) ? agents[agent] : throw new McpException($"the agent '{agent}' is not running");
                var client = new SynapseClient(Loopback(host.LocalEndPoint));
                _clients.Add(client);
                foreach (var endpoint in host.Descriptor.Endpoints.Where(endpoint => endpoint.Publish))
                {
                    var tool = new SynapseMcpTool(client, endpoint, prefix) { RunsAsTask = runAsTasks };
                    if (!tools.TryAdd(tool.ProtocolTool.Name, tool))
                    {
                        throw new McpException($"two agents have a tool named '{tool.ProtocolTool.Name}': give one a prefix in WithSynapseAgentTools");
                    }
                }
            }

            Volatile.Write(ref _tools, tools);
            return tools;
        }
        finally
        {
            _making.Release();
        }
    }

    /// <summary>Where the host can be dialled from this process: its own address, or loopback when it listens on all.</summary>
    private static EndPoint Loopback(EndPoint listening) => listening switch
    {
        IPEndPoint { Address: var any } ip when any.Equals(IPAddress.Any) => new IPEndPoint(IPAddress.Loopback, ip.Port),
        IPEndPoint { Address: var any } ip when any.Equals(IPAddress.IPv6Any) => new IPEndPoint(IPAddress.IPv6Loopback, ip.Port),
        _ => listening,
    };
}
