namespace Synapse.Cli.Tests;

/// <summary>
/// <c>synapse mcp serve</c>'s failures, in-process (serving is driven over stdio by the MCP SDK's client in
/// <c>McpBridgeTests</c>, where the bridge runs as a child process).
/// </summary>
public sealed class McpCommandTests
{
    [Fact]
    public async Task A_node_that_cannot_be_reached_is_an_error_naming_it_before_anything_is_served()
    {
        var port = Cli.UnusedPort();

        var result = await Cli.RunAsync("mcp", "serve", $"127.0.0.1:{port}");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout); // stdout belongs to the MCP client: nothing but protocol goes there
        Assert.Equal($"synapse: cannot connect to 127.0.0.1:{port}: connection refused\n", result.Stderr);
    }

    [Fact]
    public async Task A_bad_address_is_a_usage_error()
    {
        var result = await Cli.RunAsync("mcp", "serve", "nowhere");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("synapse: ", result.Stderr);
    }
}
