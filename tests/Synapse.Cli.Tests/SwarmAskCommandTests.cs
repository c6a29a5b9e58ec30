using System.Text.Json;

namespace Synapse.Cli.Tests;

/// <summary><c>synapse swarm ask</c>: acks, replies and errors of C# and Python swarm members as they arrive.</summary>
public sealed class SwarmAskCommandTests
{
    private static JsonElement[] JsonLines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    private static string Step(JsonElement line) => $"{line.GetProperty("event").GetString()}/{line.GetProperty("peer").GetProperty("id").GetString()}";

    [Fact]
    public async Task Ask_streams_the_ack_then_the_reply_of_a_csharp_and_a_python_member_and_exits_0()
    {
        await using var seed = await SwarmNodes.StartAsync("seed");
        await using var python = await PythonSwarmNode.StartAsync("lab", seed.Port, 0.2, 10);
        await SwarmNodes.WaitForPeersAsync(seed, 1);

        var result = await Cli.RunAsync("swarm", "ask", $"127.0.0.1:{seed.Port}", "review PR 7", "--context", "url=x", "--context", "lines=[1,2]", "--timeout", "20", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Equal("", result.Stderr);
        var lines = JsonLines(result.Stdout);
        var steps = lines.Select(Step).ToList();
        foreach (var peer in new[] { "seed", python.Id })
        {
            Assert.True(steps.IndexOf($"asked/{peer}") < steps.IndexOf($"ack/{peer}"), string.Join(' ', steps));
            Assert.True(steps.IndexOf($"ack/{peer}") < steps.IndexOf($"reply/{peer}"), string.Join(' ', steps));
        }

        Assert.Equal(6, steps.Count);
        Assert.Single(lines.Select(l => l.GetProperty("nonce").GetString()).Distinct());
        var replies = lines.Where(l => l.GetProperty("event").GetString() == "reply").ToDictionary(l => l.GetProperty("peer").GetProperty("id").GetString()!, l => l.GetProperty("result").GetRawText());
        Assert.Equal("""{"answer":"dotnet did review PR 7","context":{"url":"x","lines":[1,2]}}""", replies["seed"]);
        Assert.Equal("""{"answer":"python did review PR 7","context":{"url":"x","lines":[1,2]}}""", replies[python.Id]);
    }

    [Fact]
    public async Task Ask_prints_each_step_for_people()
    {
        await using var seed = await SwarmNodes.StartAsync("seed");

        var result = await Cli.RunAsync("swarm", "ask", $"127.0.0.1:{seed.Port}", "tidy up", "--timeout", "20");

        Assert.Equal((0, ""), (result.ExitCode, result.Stderr));
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Matches("^ask [0-9a-f-]{36}$", lines[0]);
        Assert.Equal($"asked       cli-swarm (seed) at 127.0.0.1:{seed.Port}", lines[1]);
        Assert.Equal("ack         cli-swarm (seed)", lines[2]);
        Assert.Equal("""reply       cli-swarm (seed): {"answer":"dotnet did tidy up","context":null}""", lines[3]);
    }

    [Fact]
    public async Task Ask_exits_1_naming_what_happened_when_nobody_replied()
    {
        await using var seed = await SwarmNodes.StartAsync("seed", agent: new CliSwarmAgent { Stall = true });

        var result = await Cli.RunAsync("swarm", "ask", $"127.0.0.1:{seed.Port}", "never mind", "--timeout", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("synapse: nobody replied: 1 timed out of 1 peer(s) asked, within 1 s\n", result.Stderr);
        Assert.Contains("ack         cli-swarm (seed)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("timeout     cli-swarm (seed): nothing before the timeout", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_exits_1_when_no_peer_has_the_required_capability()
    {
        await using var seed = await SwarmNodes.StartAsync("seed");

        var result = await Cli.RunAsync("swarm", "ask", $"127.0.0.1:{seed.Port}", "juggle", "--require", "juggling");

        Assert.Equal((1, "", "synapse: no peer with juggling to ask in swarm 'lab', team 'default'\n"), (result.ExitCode, result.Stdout, result.Stderr));
    }

    [Fact]
    public async Task A_seed_of_another_swarm_refuses_the_tool()
    {
        await using var seed = await SwarmNodes.StartAsync("seed");

        var result = await Cli.RunAsync("swarm", "ask", $"127.0.0.1:{seed.Port}", "hi", "--swarm", "other");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"synapse: 127.0.0.1:{seed.Port} did not let this tool join swarm 'other', team 'default' (is it a swarm member? see --swarm and --team)\n", result.Stderr);
    }

    [Theory]
    [InlineData(new[] { "swarm", "ask", "nohost", "x" }, "synapse: invalid seed 'nohost': expected HOST:PORT, e.g. 127.0.0.1:9999")]
    [InlineData(new[] { "swarm", "ask", "127.0.0.1:1", "x", "--context", "nokey" }, "synapse: --context takes KEY=VALUE, not 'nokey'")]
    [InlineData(new[] { "swarm", "ask", "127.0.0.1:1", "x", "--context", "=1" }, "synapse: --context takes KEY=VALUE, not '=1'")]
    [InlineData(new[] { "swarm", "ask", "127.0.0.1:1", "x", "-c", "k=1", "-c", "k=2" }, "synapse: --context gives 'k' twice")]
    [InlineData(new[] { "swarm", "ask", "127.0.0.1:1", "x", "--timeout", "0" }, "synapse: --timeout must be a number of seconds above 0 and at most 2000000, not 0")]
    [InlineData(new[] { "swarm", "ask", "127.0.0.1:1", "x", "--team", " " }, "synapse: --team must not be empty")]
    [InlineData(new[] { "swarm", "broadcast", "127.0.0.1:1", "x", "--wait", "-1" }, "synapse: --wait must be a number of seconds from 0 to 2000000, not -1")]
    [InlineData(new[] { "swarm", "watch", "127.0.0.1:1", "--interval", "0" }, "synapse: --interval must be a number of seconds above 0 and at most 2000000, not 0")]
    [InlineData(new[] { "swarm", "watch", "127.0.0.1:1", "--peer-timeout", "-5" }, "synapse: --peer-timeout must be a number of seconds above 0 and at most 2000000, not -5")]
    [InlineData(new[] { "swarm", "list", "--discover", "0" }, "synapse: --discover must be a number of seconds above 0 and at most 2000000, not 0")]
    [InlineData(new[] { "swarm", "list", "--interface", "::1" }, "synapse: --interface takes an IPv4 address, not '::1'")]
    public async Task Bad_input_is_a_usage_error_naming_it(string[] args, string expected)
    {
        var result = await Cli.RunAsync(args);

        Assert.Equal((2, "", expected + "\n"), (result.ExitCode, result.Stdout, result.Stderr));
    }

    [Fact]
    public async Task A_seed_nobody_listens_on_is_a_failure()
    {
        var port = Cli.UnusedPort();

        var result = await Cli.RunAsync("swarm", "ask", $"127.0.0.1:{port}", "hi");

        Assert.Equal((1, "", $"synapse: cannot connect to 127.0.0.1:{port}: connection refused\n"), (result.ExitCode, result.Stdout, result.Stderr));
    }
}
