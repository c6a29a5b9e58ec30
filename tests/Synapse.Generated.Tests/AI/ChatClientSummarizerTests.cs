using Microsoft.Extensions.AI;
using Synapse.AI.Swarm;
using Synapse.Generated.Tests.Swarm;
using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Generated.Tests.AI;

/// <summary>Compaction with an LLM: the model reads the digest of the folded events and writes the summary.</summary>
public sealed class ChatClientSummarizerTests
{
    [Fact]
    public async Task A_compaction_asks_the_model_with_the_digest_and_keeps_its_answer()
    {
        var model = new SummaryModel("Ada fixed the parser; Bob reviews it next.");
        await using var host = await SwarmHosts.StartAsync(new Listener(), "lead", null, o => (o.Summarizer, o.ConversationKeepRecent) = (ChatClientSummarizer.Create(model, options: new ChatOptions { MaxOutputTokens = 200 }), 1));
        var node = host.SwarmNode!;
        foreach (var text in new[] { "fix the parser", "fixed", "thanks", "next?" })
        {
            await node.EmitAsync("c", "note", MsgPackValue.Map(("text", text)));
        }

        var summary = await node.CompactConversationAsync("c");

        Assert.Equal("Ada fixed the parser; Bob reviews it next.", summary!.Payload["summary"]!.AsString());
        Assert.Equal(3, summary.Payload["compacted_events"]!.AsInt64());
        Assert.Equal(ChatClientSummarizer.DefaultInstructions, model.Seen[0].Text);
        Assert.StartsWith("(3 note)", model.Seen[1].Text, StringComparison.Ordinal);
        Assert.Contains("""[note]: {"text": "fixed"}""", model.Seen[1].Text, StringComparison.Ordinal);
        Assert.Equal(200, model.Options?.MaxOutputTokens);
    }

    [Fact]
    public async Task An_empty_answer_keeps_the_digest()
    {
        var summarize = ChatClientSummarizer.Create(new SummaryModel(" "));
        var events = new[] { SwarmConversationEvent.Create("c", "note", new SwarmPeer("p", "127.0.0.1", 1) { Name = "ada" }, MsgPackValue.Map(("text", "hi")), null, 1) };

        Assert.Equal(await SwarmSummaries.DefaultAsync(events), await summarize(events, CancellationToken.None));
    }

    private sealed class SummaryModel(string answer) : IChatClient
    {
        public List<ChatMessage> Seen { get; } = [];

        public ChatOptions? Options { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Seen.AddRange(messages);
            Options = options;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
