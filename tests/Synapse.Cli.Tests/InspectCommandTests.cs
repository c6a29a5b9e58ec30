using System.Text.Json;
using System.Text.RegularExpressions;

namespace Synapse.Cli.Tests;

/// <summary><c>synapse inspect</c> against a real host on loopback.</summary>
public sealed class InspectCommandTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(options => options.Team = "blue");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Text_output_shows_info_methods_and_capabilities()
    {
        var result = await Cli.RunAsync("inspect", _node.Address);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        var lines = result.Stdout.Split('\n').Select(Squash).ToArray();
        Assert.Equal($"node {_node.Address}", lines[0]);
        Assert.Contains("", lines); // a blank line between sections
        Assert.Contains(lines, line => line == "id node-cli");
        Assert.Contains(lines, line => line == "name cli-tester");
        Assert.Contains(lines, line => line == "team blue");
        Assert.Contains(lines, line => line == "swarm -");
        Assert.Contains(lines, line => line == $"agent id {_node.Host.Identity.Id}");
        Assert.Contains(lines, line => line == "link secure, multiplexed");
        Assert.Contains(lines, line => line == "sum(a: integer, b: integer) -> integer Adds two integers");
        Assert.Contains(lines, line => line.StartsWith("echo(value", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("summarize", StringComparison.Ordinal) && line.EndsWith("Summarizes text", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("internal", StringComparison.Ordinal));
        var methods = Array.FindIndex(lines, line => line.StartsWith("methods (", StringComparison.Ordinal));
        var capabilities = Array.FindIndex(lines, line => line.StartsWith("capabilities (", StringComparison.Ordinal));
        Assert.True(methods > 0 && capabilities > methods, result.Stdout);
        Assert.Equal("methods (10)", lines[methods]);
        Assert.Equal("capabilities (11)", lines[capabilities]);
    }

    /// <summary>The line without its indent and with runs of spaces (column padding) as one space.</summary>
    private static string Squash(string line) => Regex.Replace(line.Trim(), " {2,}", " ");

    [Fact]
    public async Task Json_output_is_one_object_with_the_builtins_answers()
    {
        var result = await Cli.RunAsync("inspect", _node.Address, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal(_node.Address, root.GetProperty("address").GetString());
        Assert.Equal(_node.Host.Identity.Id.ToString(), root.GetProperty("peer_id").GetString());
        var info = root.GetProperty("info");
        Assert.Equal("node-cli", info.GetProperty("id").GetString());
        Assert.Equal("testing", info.GetProperty("role").GetString());
        Assert.Equal(_node.Host.Port, info.GetProperty("port").GetInt32());
        var methods = root.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Contains("sum", methods);
        Assert.DoesNotContain("internal", methods);
        var sum = root.GetProperty("methods").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "sum");
        Assert.Equal("integer", sum.GetProperty("input_schema").GetProperty("properties").GetProperty("a").GetProperty("type").GetString());
        var capabilities = root.GetProperty("capabilities").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal("summarize", capabilities[0]);
        Assert.Contains("sum", capabilities);
    }

    [Fact]
    public async Task Inspecting_a_closed_port_fails_with_one_line()
    {
        await _node.Host.StopAsync();

        var result = await Cli.RunAsync("inspect", _node.Address);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"synapse: cannot connect to {_node.Address}: connection refused\n", result.Stderr);
    }
}
