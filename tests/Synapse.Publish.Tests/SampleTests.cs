using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Synapse.Client;
using Synapse.MessagePack;

namespace Synapse.Publish.Tests;

/// <summary>
/// Every mode of every sample the README and docs name, run with the documented command in a child process, as a
/// user runs it (Ctrl+C is a SIGINT to the process group, as a terminal sends it).
/// </summary>
public sealed class SampleTests
{
    [Fact]
    public async Task Quickstart_demo_serves_calls_and_exits_0()
    {
        var (exit, output) = await DotNet.RunAsync(DotNet.RepositoryRoot, "run", "--project", "samples/Quickstart", "-c", "Release");

        Assert.True(exit == 0, output);
        Assert.Contains("sum(1, 2)          = 3", output);
        Assert.Contains("_synapse.ping      = pong", output);
        Assert.Contains("connection         = Multiplexed", output);
    }

    [Fact]
    public async Task Quickstart_serve_answers_the_call_mode_and_stops_on_ctrl_c()
    {
        var port = FreePort();
        await using var serve = await DotNetRunAsync("samples/Quickstart", ["serve", Invariant(port)], line => line.Contains("listening on", StringComparison.Ordinal) ? line : null);
        Assert.Contains($"calculator listening on 0.0.0.0:{port}", serve.Ready);

        var (exit, output) = await DotNet.RunAsync(DotNet.RepositoryRoot, "run", "--project", "samples/Quickstart", "-c", "Release", "--", "call", "127.0.0.1", Invariant(port), "40", "2");

        Assert.True(exit == 0, output);
        Assert.Equal("42", output.Trim());
        var python = await PythonPeer.CallAsync(port, "sum", "[1, 2]");
        Assert.Equal(3, python.GetProperty("result").GetInt32());
        Assert.Equal(0, await serve.InterruptAsync());
    }

    [Fact]
    public async Task Quickstart_usage_errors_exit_2()
    {
        var (exit, output) = await DotNet.RunAsync(DotNet.RepositoryRoot, "run", "--project", "samples/Quickstart", "-c", "Release", "--", "call", "127.0.0.1");

        Assert.Equal(2, exit);
        Assert.Contains("usage: Quickstart", output);
    }

    [Fact]
    public async Task ReviewerAgent_serves_its_endpoints_capabilities_and_task_handler_until_ctrl_c()
    {
        var port = FreePort();
        await using var reviewer = await DotNetRunAsync("samples/ReviewerAgent", [Invariant(port)], line => line.Contains("listening on", StringComparison.Ordinal) ? line : null);
        Assert.Contains("Agent reviewer listening on", reviewer.Ready);
        await using var client = new SynapseClient("127.0.0.1", port);

        var request = MsgPackValue.FromMap(new Dictionary<string, MsgPackValue> { ["Repository"] = "synapse", ["PullRequest"] = 7, ["Files"] = MsgPackValue.FromArray(["a.cs", "b.tmp"]) });
        var review = await client.CallAsync("review", [request]);
        var capabilities = await client.CallAsync("_agent.capabilities");
        var ask = await client.CallAsync("_agent.ask", ["look at PR 7", MsgPackValue.FromMap(new Dictionary<string, MsgPackValue> { ["url"] = "https://example.invalid/7" })]);
        var methods = await client.CallAsync("_synapse.methods");

        Assert.Equal("RequestChanges", review["Verdict"]!.AsString());
        Assert.Equal(["b.tmp: temporary file committed"], review["Comments"]!.AsArray().Select(c => c.AsString()));
        Assert.Equal(["code-review", "summarize", "review"], capabilities.AsArray().Select(c => c["name"]!.AsString()));
        Assert.Equal("reviewer received 'look at PR 7' about https://example.invalid/7", ask.AsString());
        Assert.Equal(["review"], methods.AsArray().Select(m => m["name"]!.AsString())); // stats is private
        Assert.Equal(0, await reviewer.InterruptAsync());
        Assert.Contains("Agent reviewer stopped", reviewer.Output);
    }

    [Fact]
    public async Task Negotiation_reaches_a_deal_and_both_decision_graphs_verify()
    {
        var (exit, output) = await DotNet.RunAsync(DotNet.RepositoryRoot, "run", "--project", "samples/Negotiation", "-c", "Release");

        Assert.True(exit == 0, output);
        Assert.Matches(@"deal at \d+", output);
        Assert.Contains("graphs verify: ", output);
        Assert.DoesNotContain("DO NOT verify", output);
    }

    [Fact]
    public async Task HostedAgent_runs_its_agents_client_relay_health_checks_and_telemetry_from_appsettings_until_ctrl_c()
    {
        await using var app = await DotNetRunAsync("samples/HostedAgent", [], line => line.Contains("health:", StringComparison.Ordinal) ? line : null);
        Assert.Contains("health: Healthy", app.Ready);

        await using (var client = new SynapseClient("127.0.0.1", 7102))
        {
            Assert.Equal(3, (await client.CallAsync("record", ["from the test"])).AsInt64()); // the audit agent, from appsettings.json, after the two relayed quotes
        }

        Assert.Equal(0, await app.InterruptAsync());
        var output = app.Output;
        Assert.Contains("Agent quotes started on 127.0.0.1:7101", output);
        Assert.Contains("quote: 3 x apple = 360 cents", output);
        Assert.Contains("quote: 2 x pear = 190 cents", output);
        Assert.Contains("relay started address=127.0.0.1:7103", output); // the relay's record, through the app's logging
        Assert.Contains("audit: quoted 3 x apple = 360 cents (through the relay)", output);
        Assert.Contains("audit: quoted 2 x pear = 190 cents (through the relay)", output);
        Assert.Contains("Activity.DisplayName:        send direct", output); // the console exporter's spans
        Assert.Contains("Metric Name: synapse.rpc.server.calls", output); // the console exporter's last export, at shutdown
        Assert.Contains("Metric Name: synapse.relay.routed", output);
        Assert.Contains("Agent quotes stopped", output);
        Assert.Contains("Agent audit stopped", output);
    }

    private static Task<NativeProcess> DotNetRunAsync(string project, string[] args, Func<string, string?> ready)
    {
        // setsid: the sample and the dotnet driver form a process group of their own, which Ctrl+C reaches whole.
        var info = new ProcessStartInfo("setsid") { WorkingDirectory = DotNet.RepositoryRoot };
        foreach (var arg in (string[])["dotnet", "run", "--project", project, "-c", "Release", "--", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        return NativeProcess.StartAsync(info, ready);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
