using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using Synapse.AI.Mcp;
using Synapse.Hosting;

namespace Synapse.Generated.Tests.AI;

/// <summary>
/// <c>synapse mcp serve</c> as an MCP client runs it: a child process driven by the MCP C# SDK's own client, over stdio
/// (<see cref="McpStdioBridgeTests"/>) and over Streamable HTTP (<see cref="McpHttpBridgeTests"/>).
/// </summary>
public abstract class McpBridgeTests() : AgentOnLoopback<Bridged>(new Bridged())
{
    private McpClient _mcp = null!;

    /// <summary>The CLI's assembly, run with <c>dotnet exec</c>.</summary>
    internal static string CliPath => Cli;

    /// <summary>The CLI's assembly, run with <c>dotnet exec</c>.</summary>
    protected static string Cli => RepositoryRoot.BuiltAssembly("src/Synapse.Cli", "Synapse.Cli");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _mcp = await ConnectAsync($"127.0.0.1:{Host.Port}");
    }

    public override async Task DisposeAsync()
    {
        await _mcp.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>Starts the bridge to <paramref name="node"/> and connects an MCP client to it.</summary>
    protected abstract Task<McpClient> ConnectAsync(string node);

    [Fact]
    public async Task The_tools_are_the_nodes_endpoints_with_their_descriptions_and_schemas()
    {
        var tools = await _mcp.ListToolsAsync();

        Assert.Equal(["add", "crunch", "wait_for_cancel"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        var add = tools.Single(t => t.Name == "add");
        Assert.Equal("Adds two integers.", add.Description);
        Assert.Equal(["a", "b"], add.JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_tool_call_is_forwarded_and_its_result_comes_back()
    {
        var result = await _mcp.CallToolAsync("add", new Dictionary<string, object?> { ["a"] = 40, ["b"] = 2 });

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("42", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task An_endpoints_error_is_a_tool_error_naming_its_code()
    {
        var result = await _mcp.CallToolAsync("add", new Dictionary<string, object?> { ["a"] = "forty", ["b"] = 2 });

        Assert.True(result.IsError);
        Assert.StartsWith("internal_error: add() argument 'a'", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task The_endpoints_progress_reports_arrive_as_progress_notifications()
    {
        var notifications = new List<ProgressNotificationValue>();
        var progress = new SynchronousProgress(notifications);

        var result = await _mcp.CallToolAsync("crunch", new Dictionary<string, object?> { ["steps"] = 5 }, progress);

        Assert.Equal("5", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);

        // The bridge sends the notifications in order and the last before the result, but the SDK's client runs each
        // notification's handler apart from its reader: they may reach this list out of order, and the last may be
        // dropped when the result completes the request first.
        await WaitUntilAsync(() => { lock (notifications) { return notifications.Count > 0; } });
        List<int> done;
        lock (notifications)
        {
            done = [.. notifications.Select(n => JsonDocument.Parse(n.Message!).RootElement.GetProperty("Done").GetInt32())];
        }

        Assert.All(done, d => Assert.InRange(d, 1, 5));
        Assert.Equal(done.Count, done.Distinct().Count());
    }

    [Fact]
    public async Task Cancelling_a_tool_call_cancels_the_endpoints_handler()
    {
        using var cancel = new CancellationTokenSource();

        var call = _mcp.CallToolAsync("wait_for_cancel", cancellationToken: cancel.Token).AsTask();
        await Agent.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await Agent.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }


    /// <summary>Keeps notifications as they are reported (the SDK reports them from its reader).</summary>
    private sealed class SynchronousProgress(List<ProgressNotificationValue> seen) : IProgress<ProgressNotificationValue>
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

/// <summary>The bridge on stdio, started by the MCP client as its child process.</summary>
public sealed class McpStdioBridgeTests : McpBridgeTests
{
    protected override async Task<McpClient> ConnectAsync(string node) =>
        await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "synapse",
            Command = "dotnet",
            Arguments = ["exec", Cli, "mcp", "serve", node],
        }));
}

/// <summary>The bridge on Streamable HTTP (<c>--http URL</c>), started by the test; the MCP client connects to the URL.</summary>
public sealed class McpHttpBridgeTests : McpBridgeTests
{
    private System.Diagnostics.Process? _bridge;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_bridge is not null)
        {
            _bridge.Kill();
            await _bridge.WaitForExitAsync();
            _bridge.Dispose();
        }
    }

    protected override async Task<McpClient> ConnectAsync(string node)
    {
        var url = new Uri($"http://127.0.0.1:{HostedAgents.HostedAgentTests.FreePort()}/mcp");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "exec", Cli, "mcp", "serve", node, "--http", url.ToString() })
        {
            info.ArgumentList.Add(arg);
        }

        _bridge = System.Diagnostics.Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await _bridge.StandardError.ReadLineAsync(timeout.Token);
        Assert.Equal($"synapse: serving 3 tool(s) of {node} over MCP Streamable HTTP at {url}", line);
        return await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = url, Name = "synapse" }));
    }
}

/// <summary>
/// No bridge: an app hosting the agent is its own MCP server (<c>AddMcpServer().WithSynapseAgentTools(name)</c>), here
/// on in-memory streams; the same tests hold.
/// </summary>
public sealed class McpInProcessTests : McpBridgeTests
{
    private Microsoft.Extensions.Hosting.IHost? _app;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            _app.Dispose();
        }
    }

    protected override async Task<McpClient> ConnectAsync(string node)
    {
        var toServer = new System.IO.Pipelines.Pipe();
        var toClient = new System.IO.Pipelines.Pipe();
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings());
        builder.Services.AddSingleton(Agent); // the test watches this instance
        builder.Services.AddSynapse().AddAgent<Bridged>("bridged");
        builder.Services.AddMcpServer()
            .WithStreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream())
            .WithSynapseAgentTools("bridged");
        _app = builder.Build();
        await _app.StartAsync();
        return await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()));
    }

    [Fact]
    public async Task A_second_agent_needs_a_prefix_and_gets_its_own_tools()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings());
        var toServer = new System.IO.Pipelines.Pipe();
        var toClient = new System.IO.Pipelines.Pipe();
        builder.Services.AddSynapse().AddAgent<Bridged>("one").AddAgent<Bridged>("two");
        builder.Services.AddMcpServer()
            .WithStreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream())
            .WithSynapseAgentTools("one")
            .WithSynapseAgentTools("two", namePrefix: "two_");
        using var app = builder.Build();
        await app.StartAsync();
        await using var mcp = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()));

        var tools = await mcp.ListToolsAsync();

        Assert.Equal(["add", "crunch", "two_add", "two_crunch", "two_wait_for_cancel", "wait_for_cancel"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        await app.StopAsync();
    }
}

/// <summary>The agent behind the bridge.</summary>
[AgentNode(Name = "bridged")]
public sealed partial class Bridged
{
    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Adds two integers.</summary>
    [Endpoint("add")]
    public int Add(int a, int b) => a + b;

    /// <summary>Works through steps, reporting each.</summary>
    [Endpoint("crunch")]
    public async Task<int> Crunch(int steps, IProgress<Streaming.Step> progress, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= steps; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            progress.Report(new Streaming.Step(i, steps));
        }

        return steps;
    }

    /// <summary>Waits until the caller cancels.</summary>
    [Endpoint("wait_for_cancel")]
    public async Task WaitForCancel(CancellationToken cancellationToken)
    {
        Waiting.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        finally
        {
            Cancelled.TrySetResult();
        }
    }
}
