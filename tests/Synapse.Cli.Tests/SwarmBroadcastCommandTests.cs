using Synapse.Swarm;

namespace Synapse.Cli.Tests;

/// <summary><c>synapse swarm broadcast</c>: a one-way <c>synapse.message</c> to every member; each reply as it arrives.</summary>
public sealed class SwarmBroadcastCommandTests
{
    [Fact]
    public async Task Broadcast_reaches_csharp_and_python_members_and_prints_each_reply()
    {
        await using var seed = await SwarmNodes.StartAsync("seed");
        await using var left = await SwarmNodes.StartAsync("left", seed.Port);
        await using var python = await PythonSwarmNode.StartAsync("lab", seed.Port, 0.2, 10);
        await SwarmNodes.WaitForPeersAsync(seed, 2);

        var result = await Cli.RunAsync("swarm", "broadcast", $"127.0.0.1:{seed.Port}", "hello swarm", "--wait", "20");

        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Equal("", result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^broadcast [0-9a-f-]{36} \(synapse.message\) to 3 peer\(s\)$", lines[0]);
        Assert.Equal(
            [
                """reply from cli-swarm (left): {"heard":"hello swarm","by":"dotnet"}""",
                """reply from cli-swarm (seed): {"heard":"hello swarm","by":"dotnet"}""",
                $$"""reply from python ({{python.Id[..8]}}): {"heard":"hello swarm","by":"python"}""",
            ],
            lines[1..^1].Order(StringComparer.Ordinal));
        Assert.Equal("3 of 3 peer(s) replied", lines[^1]);
        var nonce = lines[0].Split(' ')[1];
        var heard = await python.CommandAsync("heard");
        Assert.Equal(("hello swarm", nonce), (heard[0].GetProperty("text").GetString(), heard[0].GetProperty("nonce").GetString()));
    }

    [Fact]
    public async Task Broadcast_with_json_prints_the_nonce_then_each_reply_and_wait_0_does_not_wait()
    {
        await using var seed = await SwarmNodes.StartAsync("seed");

        var waited = await Cli.RunAsync("swarm", "broadcast", $"127.0.0.1:{seed.Port}", "hi", "--json", "--wait", "20");
        var sent = await Cli.RunAsync("swarm", "broadcast", $"127.0.0.1:{seed.Port}", "hi", "--wait", "0");

        Assert.Equal((0, ""), (waited.ExitCode, waited.Stderr));
        var lines = waited.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches("""^\{"event":"broadcast","nonce":"[0-9a-f-]{36}","endpoint":"synapse.message","peers":1\}$""", lines[0]);
        Assert.StartsWith("""{"event":"reply","nonce":""", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(""","result":{"heard":"hi","by":"dotnet"}}""", lines[1], StringComparison.Ordinal);
        Assert.Equal(0, sent.ExitCode);
        Assert.Matches(@"^broadcast [0-9a-f-]{36} \(synapse.message\) to \d peer\(s\)\n$", sent.Stdout);
    }

    [Fact]
    public async Task Broadcast_calls_the_endpoint_named_by_the_endpoint_option()
    {
        await using var seed = await SwarmNodes.StartAsync("seed");

        var result = await Cli.RunAsync("swarm", "broadcast", $"127.0.0.1:{seed.Port}", "quiet please", "--endpoint", "synapse.shout", "--wait", "20", "--name", "shouter");

        Assert.Equal((0, ""), (result.ExitCode, result.Stderr));
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^broadcast [0-9a-f-]{36} \(synapse.shout\) to 1 peer\(s\)$", lines[0]);
        Assert.Equal(["reply from cli-swarm (seed): \"QUIET PLEASE\"", "1 of 1 peer(s) replied"], lines[1..]);
        var message = seed.SwarmNode!.Conversations.Get(lines[0].Split(' ')[1])[0];
        Assert.Equal(("message", "shouter"), (message.Kind, message.Peer.Name));
    }
}
