// docs/ai-tools.md: a node's endpoints as the tools of an IChatClient, and an app that is its own MCP server.
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Synapse.AI.Mcp;
using Synapse.Hosting;
using Synapse.AI.Tools;
using Synapse.Client;

namespace Synapse.Docs.Tests.Snippets;

internal static class AiToolsSnippet
{
    public static async Task<ChatResponse> AskAsync(IChatClient model)
    {
        await using var concierge = new SynapseClient("concierge.internal", 7001);
        IList<AITool> tools = [.. await concierge.ListAIFunctionsAsync()];

        using IChatClient chat = new ChatClientBuilder(model)   // any IChatClient: OpenAI, Azure, Ollama…
            .UseFunctionInvocation()
            .Build();
        var answer = await chat.GetResponseAsync("What do three nights in a sea-view suite cost?", new ChatOptions { Tools = tools });
        return answer;
    }
}

/// <summary>docs/ai-tools.md: an app that hosts an agent and serves its endpoints as MCP tools itself.</summary>
internal static class AiToolsInProcessSnippet
{
    public static void Register(Microsoft.Extensions.Hosting.HostApplicationBuilder builder)
    {
        builder.Services.AddSynapse().AddAgent<QuoteAgent>("quotes");
        builder.Services.AddMcpServer()
            .WithStdioServerTransport()
            .WithSynapseAgentTools("quotes");
    }
}
