// docs/ai-tools.md: a node's endpoints as the tools of an IChatClient.
using Microsoft.Extensions.AI;
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
