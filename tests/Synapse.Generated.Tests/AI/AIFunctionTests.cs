using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Synapse.AI.Tools;
using Synapse.Client;
using Synapse.Rpc;

namespace Synapse.Generated.Tests.AI;

/// <summary>Agent endpoints as tools of an <see cref="IChatClient"/>, driven through Microsoft.Extensions.AI's own function invocation.</summary>
public sealed class AIFunctionTests() : AgentOnLoopback<Concierge>(new Concierge())
{
    [Fact]
    public async Task A_model_that_asks_for_a_tool_gets_the_endpoints_answer_and_answers_with_it()
    {
        var model = new ScriptedModel(new FunctionCallContent("call-1", "quote_room", new Dictionary<string, object?>
        {
            ["nights"] = JsonDocument.Parse("3").RootElement,
            ["room"] = JsonDocument.Parse("""{"Kind":"suite","View":"sea"}""").RootElement,
        }));
        using var chat = new ChatClientBuilder(model).UseFunctionInvocation().Build();

        var response = await chat.GetResponseAsync("What do three nights in a sea-view suite cost?", new ChatOptions { Tools = [.. await Client.ListAIFunctionsAsync()] });

        var result = Assert.Single(model.Seen.SelectMany(m => m.Contents).OfType<FunctionResultContent>());
        Assert.Equal("call-1", result.CallId);
        Assert.Equal(1260, ((JsonElement)result.Result!).GetInt32());
        Assert.Equal("The tool said: 1260", response.Text);
    }

    [Fact]
    public async Task The_tools_carry_the_nodes_names_descriptions_and_schemas()
    {
        var listed = await Client.ListAIFunctionsAsync(namePrefix: "hotel.");
        var compiled = Client.AsAIFunctions(Host.Descriptor);

        var quote = Assert.Single(listed, t => t.Name == "hotel_quote_room");
        Assert.Equal("Prices a stay.", quote.Description);
        Assert.Equal(["nights", "room"], quote.JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(listed.Select(t => t.Name[6..]), compiled.Select(t => t.Name));
        Assert.Equal(listed.Select(t => t.JsonSchema.GetRawText()), compiled.Select(t => t.JsonSchema.GetRawText()));
    }

    [Fact]
    public async Task A_streaming_endpoint_answers_a_tool_call_with_its_items()
    {
        var tool = Assert.Single(await Client.ListAIFunctionsAsync(), t => t.Name == "free_rooms");

        var rooms = (JsonElement)(await tool.InvokeAsync(new AIFunctionArguments { ["floor"] = 2 }))!;

        Assert.Equal(["201", "202", "203"], rooms.EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_failing_endpoint_fails_the_tool_call_with_its_error()
    {
        var tool = Assert.Single(await Client.ListAIFunctionsAsync(), t => t.Name == "quote_room");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await tool.InvokeAsync(new AIFunctionArguments { ["nights"] = 0, ["room"] = JsonDocument.Parse("""{"Kind":"suite"}""").RootElement }));

        Assert.Equal("a stay is at least one night", error.Message);
    }

    [Fact]
    public async Task An_argument_without_a_json_form_is_refused_naming_it()
    {
        var tool = Assert.Single(await Client.ListAIFunctionsAsync(), t => t.Name == "quote_room");

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await tool.InvokeAsync(new AIFunctionArguments { ["nights"] = DateTime.UtcNow }));

        Assert.StartsWith("argument 'nights' is a DateTime; pass JSON", error.Message);
    }

    [Fact]
    public void A_schema_that_is_not_json_is_refused_naming_the_endpoint()
    {
        var error = Assert.Throws<ArgumentException>(() => new SynapseFunction(Client, new EndpointDescriptor("broken", true, "", "{not json", "")));

        Assert.StartsWith("the schema of endpoint 'broken' is not JSON", error.Message);
    }

    [Theory]
    [InlineData("billing.refund", "billing_refund")]
    [InlineData("a b/c", "a_b_c")]
    [InlineData("ok-name_1", "ok-name_1")]
    public void Endpoint_names_become_names_models_accept(string endpoint, string tool)
    {
        Assert.Equal(tool, SynapseFunction.ToolName(endpoint));
    }

    /// <summary>A model that calls one tool, then answers with what the tool returned.</summary>
    private sealed class ScriptedModel(FunctionCallContent call) : IChatClient
    {
        public List<ChatMessage> Seen { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var conversation = messages.ToList();
            Seen.Clear();
            Seen.AddRange(conversation);
            var result = conversation.SelectMany(m => m.Contents).OfType<FunctionResultContent>().FirstOrDefault();
            return Task.FromResult(result is null
                ? new ChatResponse(new ChatMessage(ChatRole.Assistant, [call]))
                : new ChatResponse(new ChatMessage(ChatRole.Assistant, $"The tool said: {result.Result}")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

/// <summary>A room asked for.</summary>
[SynapseMessage]
public sealed record Room(string Kind, string? View = null);

/// <summary>The agent the model's tools call.</summary>
[AgentNode(Name = "concierge")]
public sealed partial class Concierge
{
    /// <summary>Prices a stay.</summary>
    [Endpoint("quote_room")]
    public int QuoteRoom(int nights, Room room)
    {
        if (nights < 1)
        {
            throw new RpcException(RpcErrorCodes.BadRequest, "a stay is at least one night");
        }

        return nights * (room.Kind == "suite" ? 400 : 150) + (room.View == "sea" ? nights * 20 : 0);
    }

    /// <summary>The free rooms of a floor.</summary>
    [Endpoint("free_rooms")]
    public async IAsyncEnumerable<string> FreeRooms(int floor, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var room = 1; room <= 3; room++)
        {
            await Task.Yield();
            yield return $"{floor}0{room}";
        }
    }
}
