using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Synapse.Client;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Swarm;

namespace Synapse.Publish.Tests;

/// <summary>
/// The README's Native AOT commands, run as a user runs them: the agent and the <c>synapse</c> tool publish as native
/// binaries with no IL or AOT warning, and the binaries serve real peers.
/// </summary>
public sealed partial class NativeAotTests
{
    [Fact]
    public async Task The_agent_publishes_as_a_native_binary_without_warnings_and_serves_a_csharp_and_a_python_client()
    {
        using var output = new TempDirectory();

        var binary = await PublishNativeAsync("samples/TrimmedAgent", "TrimmedAgent", output.Path);

        var (selftestExit, selftest) = await DotNet.ExecAsync(binary, output.Path, "selftest");
        Assert.True(selftestExit == 0, selftest);
        Assert.Contains("selftest passed", selftest);

        await using var agent = await NativeProcess.StartAsync(binary, [], line => line.StartsWith("PORT ", StringComparison.Ordinal) ? line[5..] : null);
        var port = int.Parse(agent.Ready, System.Globalization.CultureInfo.InvariantCulture);

        await using (var client = new SynapseClient("127.0.0.1", port))
        {
            var methods = await client.CallAsync("_synapse.methods");
            Assert.Equal(["add", "list"], methods.AsArray().Select(m => m["name"]!.AsString()));
            Assert.Equal("pong", await client.PingAsync());
            Assert.Equal(ConnectionMode.Multiplexed, client.NegotiatedMode);
        }

        var python = await PythonPeer.CallAsync(port, "list", """["Tool"]""");
        Assert.True(python.GetProperty("ok").GetBoolean(), python.ToString());
        Assert.Equal(0, python.GetProperty("result").GetArrayLength());
        var info = await PythonPeer.CallAsync(port, "_synapse.info", "[]");
        Assert.Equal(port, info.GetProperty("result").GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task The_synapse_tool_publishes_as_a_native_binary_and_its_relay_routes_a_sealed_message()
    {
        using var output = new TempDirectory();

        var binary = await PublishNativeAsync("src/Synapse.Cli", "synapse", output.Path);

        var config = Path.Combine(output.Path, "relay.json");
        await File.WriteAllTextAsync(config, """{"host":"127.0.0.1","port":0,"logger":{"enable_console_log":false}}""");
        await using var relay = await NativeProcess.StartAsync(binary, ["relay", "--config", config], line => ListeningLine().Match(line) is { Success: true } m ? m.Value : null);
        var listening = ListeningLine().Match(relay.Ready);
        var relayEndpoint = new RelayEndpoint(new IPEndPoint(IPAddress.Loopback, int.Parse(listening.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture)), AgentId.Parse(listening.Groups["id"].Value));

        using var aliceId = AgentIdentity.Generate();
        using var bobId = AgentIdentity.Generate();
        using var aliceKey = EncryptionKeyPair.Derive(aliceId);
        using var bobKey = EncryptionKeyPair.Derive(bobId);
        await using var alice = new RelayClient(aliceId, aliceKey, new RelayClientOptions { Relays = [relayEndpoint] });
        await using var bob = new RelayClient(bobId, bobKey, new RelayClientOptions { Relays = [relayEndpoint] });
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        bob.OnMessage((message, _) =>
        {
            received.TrySetResult($"{message.Sender}:{Encoding.UTF8.GetString(message.Payload.Span)}");
            return ValueTask.CompletedTask;
        });
        await alice.StartAsync();
        await bob.StartAsync();

        var id = alice.Send(bob.Certificate, "through the native relay"u8);

        await alice.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal($"{aliceId.Id}:through the native relay", await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await relay.InterruptAsync()); // SIGINT: the relay stops cleanly

        await using var node = new Synapse.Hosting.AgentHost(new EchoAgent());
        await node.StartAsync();
        var url = new Uri($"http://127.0.0.1:{FreePort()}/mcp");
        await using var bridge = await NativeProcess.StartAsync(binary, ["mcp", "serve", $"127.0.0.1:{node.Port}", "--http", url.ToString()],
            line => line.Contains("over MCP Streamable HTTP", StringComparison.Ordinal) ? line : null);
        await using var mcp = await ModelContextProtocol.Client.McpClient.CreateAsync(
            new ModelContextProtocol.Client.HttpClientTransport(new ModelContextProtocol.Client.HttpClientTransportOptions { Endpoint = url }));
        Assert.Equal(["echo"], (await mcp.ListToolsAsync()).Select(t => t.Name));
        var echoed = await mcp.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "through the native bridge" });
        Assert.Equal("\"through the native bridge\"", Assert.IsType<ModelContextProtocol.Protocol.TextContentBlock>(Assert.Single(echoed.Content)).Text);
        Assert.Equal(0, await bridge.InterruptAsync());

        // The tool joins a swarm with a host of its own (no generated code): it must work native too.
        await using var seed = new Synapse.Hosting.AgentHost(new EchoAgent(), new Synapse.Hosting.AgentHostOptions { NodeId = "native-seed", SwarmNode = new SwarmOptions { Swarm = "lab" } });
        await seed.StartAsync();
        var (watchExit, watched) = await DotNet.ExecAsync(binary, output.Path, "swarm", "watch", $"127.0.0.1:{seed.Port}", "--json", "--seconds", "1");
        Assert.True(watchExit == 0, watched);
        Assert.Contains("{\"event\":\"joined\",\"swarm\":\"lab\"", watched, StringComparison.Ordinal);
        Assert.Contains("{\"event\":\"peer.online\"", watched, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"native-seed\"", watched, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A hand-written agent (this project runs no generator) with one endpoint, <c>echo(text)</c>, as an MCP client calls it: by keyword.</summary>
    private sealed class EchoAgent : Synapse.Rpc.IAgentNode
    {
        public Synapse.Rpc.AgentDispatcher CreateDispatcher() => new Dispatcher();

        private sealed class Dispatcher : Synapse.Rpc.AgentDispatcher
        {
            public override Synapse.Rpc.AgentDescriptor Descriptor { get; } = new("echo", "", "",
                [new("echo", true, "Echoes its text", """{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""", """{"type":"string"}""")], [], [], -1);

            public override int FindEndpoint(ReadOnlySpan<byte> utf8Name) => utf8Name.SequenceEqual("echo"u8) ? 0 : -1;

            public override ValueTask InvokeAsync(int target, Synapse.Rpc.RpcInvocation call)
            {
                var text = Synapse.MessagePack.MsgPackValue.Parse(call.KeywordArguments)["text"]!.AsString();
                var writer = call.BeginResult();
                writer.WriteString(text);
                call.EndResult(ref writer);
                return default;
            }
        }
    }

    [GeneratedRegex(@"relay (?<id>did:key:z6Mk\w+) listening on 127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>
    /// Runs the README's command for <paramref name="project"/> (with an output folder of the test's own), requires it
    /// to succeed with no IL or AOT warning, and returns the executable, checked to be compiled ahead of time: an ELF
    /// file with no managed assembly and no runtime beside it.
    /// </summary>
    private static async Task<string> PublishNativeAsync(string project, string executable, string output)
    {
        var (exit, log) = await DotNet.RunAsync(DotNet.RepositoryRoot, "publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output);

        Assert.True(exit == 0, log);
        Assert.DoesNotMatch(@"warning (IL|NETSDK)\d{4}", log);
        var binary = Path.Combine(output, executable);
        Assert.True(File.Exists(binary), $"no binary at {binary}");
        Span<byte> magic = stackalloc byte[4];
        using (var file = File.OpenRead(binary))
        {
            Assert.True(file.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8), $"{binary} is not an ELF executable");
        }

        Assert.False(File.Exists(Path.ChangeExtension(binary, ".dll")), "a native publish has no managed entry assembly");
        Assert.False(File.Exists(Path.Combine(output, "libcoreclr.so")), "a native publish carries no JIT runtime");
        return binary;
    }
}
