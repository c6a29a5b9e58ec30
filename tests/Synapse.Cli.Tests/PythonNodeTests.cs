
namespace Synapse.Cli.Tests;

/// <summary>The tool against a synapse-p2p node (tests/interop/synapse_p2p_peer.py on the system Python's msgpack).</summary>
public sealed class PythonNodeTests
{
    [Fact]
    public async Task Call_works_with_a_python_node_one_request_per_connection()
    {
        await using var node = await PythonPeer.StartNodeAsync();
        var address = $"127.0.0.1:{node.Port}";

        var sum = await Cli.RunAsync("call", address, "sum", "40", "2");
        var text = await Cli.RunAsync("call", address, "echo", "bare words", "--raw");
        var failure = await Cli.RunAsync("call", address, "boom");

        Assert.Equal((0, "42\n", ""), (sum.ExitCode, sum.Stdout, sum.Stderr));
        Assert.Equal((0, "bare words\n"), (text.ExitCode, text.Stdout));
        Assert.Equal((1, "synapse: 'boom' failed: internal_error: kaboom\n"), (failure.ExitCode, failure.Stderr));
    }

    [Fact]
    public async Task Inspect_reports_the_builtins_a_python_node_does_not_serve()
    {
        await using var node = await PythonPeer.StartNodeAsync();

        var result = await Cli.RunAsync("inspect", $"127.0.0.1:{node.Port}");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        var lines = result.Stdout.Split('\n');
        Assert.Contains("  info      not served", lines);
        Assert.Contains("  agent id  -", lines);
        Assert.Contains("  link      plaintext, one connection per call", lines);
        Assert.Contains("methods: not served", lines);
        Assert.Contains("capabilities: not served", lines);
    }
}
