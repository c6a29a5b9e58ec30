using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace Synapse.AI.Mcp;

/// <summary>An app's own hosted agents as tools of the MCP server it hosts (the MCP SDK's <c>AddMcpServer()</c>).</summary>
public static class SynapseMcpServerBuilderExtensions
{
    /// <summary>
    /// Serves the published endpoints of the hosted agent <paramref name="agentName"/> (added with
    /// <c>AddSynapse().AddAgent&lt;TAgent&gt;(name)</c>) as tools of this MCP server, with the descriptions and JSON
    /// Schemas compiled into the agent: the app is its own MCP server, over whichever transport the builder has
    /// (<c>WithHttpTransport()</c> and <c>MapMcp()</c>, <c>WithStdioServerTransport()</c>). Calls reach the running agent
    /// over a loopback connection made at the first MCP request, with progress, streams, cancellation and errors as
    /// <see cref="SynapseMcpTool"/> handles them. Call it once per agent; tools of other sources stay as they are.
    /// </summary>
    /// <param name="builder">The MCP server builder.</param>
    /// <param name="agentName">The hosted agent's name.</param>
    /// <param name="namePrefix">Put in front of each tool's name, to tell several agents' tools apart.</param>
    /// <param name="runAsTasks">Run each call as a long-running task of the agent, which must serve tasks (<see cref="SynapseMcpTool.RunsAsTask"/>).</param>
    /// <returns>The builder.</returns>
    public static IMcpServerBuilder WithSynapseAgentTools(this IMcpServerBuilder builder, string agentName, string? namePrefix = null, bool runAsTasks = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentName);
        builder.Services.Configure<HostedAgentToolsOptions>(options => options.Agents.Add(new(agentName, namePrefix, runAsTasks)));
        if (builder.Services.Any(service => service.ServiceType == typeof(HostedAgentTools)))
        {
            return builder;
        }

        builder.Services.AddSingleton<HostedAgentTools>();
        return builder
            .WithListToolsHandler((request, cancellationToken) => Tools(request).ListAsync(cancellationToken))
            .WithCallToolHandler((request, cancellationToken) => Tools(request).CallAsync(request, cancellationToken));
    }

    private static HostedAgentTools Tools(MessageContext request) =>
        (request.Services ?? throw new InvalidOperationException("the MCP request has no services")).GetRequiredService<HostedAgentTools>();
}
