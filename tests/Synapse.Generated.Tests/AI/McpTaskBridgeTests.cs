using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Synapse.Generated.Tests.Tasks;
using Synapse.Hosting;
using Synapse.Tasks;

namespace Synapse.Generated.Tests.AI;

/// <summary>
/// <c>synapse mcp serve --tasks</c>: each tool call runs as a long-running task on the node; its progress and partial
/// results become notifications, its questions are asked of the MCP client's user, and cancelling cancels the task.
/// </summary>
public sealed class McpTaskBridgeTests() : AgentOnLoopback<Builder>(new Builder())
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<McpClient> _clients = [];

    public override Task InitializeAsync() => StartAsync(new AgentHostOptions { Tasks = new AgentTaskOptions() });

    public override async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_call_runs_as_a_task_whose_progress_arrives_as_notifications()
    {
        var mcp = await ConnectAsync();
        var notifications = new List<ProgressNotificationValue>();

        var result = await mcp.CallToolAsync("build", new Dictionary<string, object?> { ["steps"] = 50 }, new Collecting(notifications));

        Assert.Equal("\"built in 50 steps\"", Text(result));
        await Task.Delay(200); // handlers of notifications that came before the result may still run
        lock (notifications)
        {
            Assert.NotEmpty(notifications);
            Assert.All(notifications, n => Assert.InRange(int.Parse(n.Message!, System.Globalization.CultureInfo.InvariantCulture), 1, 50)); // the reports, as JSON
            Assert.Equal(notifications.Count, notifications.Select(n => n.Progress).Distinct().Count());
        }
    }

    [Fact]
    public async Task A_streaming_endpoints_items_are_the_result()
    {
        var mcp = await ConnectAsync();

        var result = await mcp.CallToolAsync("parts", new Dictionary<string, object?> { ["count"] = 4 });

        Assert.Equal("[1,2,3,4]", Text(result));
    }

    [Fact]
    public async Task A_tasks_question_is_asked_of_the_user_and_their_answer_goes_back()
    {
        var asked = new List<string>();
        var mcp = await ConnectAsync((request, _) =>
        {
            asked.Add(request!.Message);
            return ValueTask.FromResult(new ElicitResult { Action = "accept", Content = new Dictionary<string, JsonElement> { ["answer"] = JsonSerializer.SerializeToElement("yes") } });
        });

        var result = await mcp.CallToolAsync("confirm", new Dictionary<string, object?> { ["plan"] = "the roof" });

        Assert.Equal("\"the roof: yes\"", Text(result));
        Assert.Equal(["go ahead with the roof?"], asked);
    }

    [Fact]
    public async Task A_declined_question_cancels_the_task_and_says_so()
    {
        var mcp = await ConnectAsync((_, _) => ValueTask.FromResult(new ElicitResult { Action = "decline" }));

        var result = await mcp.CallToolAsync("confirm", new Dictionary<string, object?> { ["plan"] = "the cellar" });

        Assert.True(result.IsError);
        Assert.Equal("cancelled: confirm asked 'go ahead with the cellar?' and the user did not answer (decline)", Text(result));
    }

    [Fact]
    public async Task A_client_that_cannot_ask_its_user_gets_an_error_naming_the_question()
    {
        var mcp = await ConnectAsync();

        var result = await mcp.CallToolAsync("confirm", new Dictionary<string, object?> { ["plan"] = "the attic" });

        Assert.True(result.IsError);
        Assert.Equal("bad_request: confirm asks 'go ahead with the attic?', but this MCP client cannot ask its user (no elicitation)", Text(result));
    }

    [Fact]
    public async Task Cancelling_the_call_cancels_the_task()
    {
        var mcp = await ConnectAsync();
        using var cancel = new CancellationTokenSource();

        var call = mcp.CallToolAsync("forever", cancellationToken: cancel.Token).AsTask();
        var taskId = await Agent.ForeverStarted.Task.WaitAsync(Patience);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.NotNull(taskId);
        var ended = await Poll.UntilAsync(() => Client.GetTaskAsync(taskId), t => t.State.IsFinal(), Patience);
        Assert.Equal(AgentTaskState.Canceled, ended.State);
    }

    private async Task<McpClient> ConnectAsync(Func<ElicitRequestParams?, CancellationToken, ValueTask<ElicitResult>>? elicit = null)
    {
        var options = new McpClientOptions();
        if (elicit is not null)
        {
            options.Handlers = new McpClientHandlers { ElicitationHandler = elicit };
        }

        var client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "synapse",
            Command = "dotnet",
            Arguments = ["exec", McpBridgeTests.CliPath, "mcp", "serve", $"127.0.0.1:{Host.Port}", "--tasks"],
        }), options);
        _clients.Add(client);
        return client;
    }

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    private sealed class Collecting(List<ProgressNotificationValue> seen) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
            lock (seen)
            {
                seen.Add(value);
            }
        }
    }
}
