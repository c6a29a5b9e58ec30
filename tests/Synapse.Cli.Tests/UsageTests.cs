namespace Synapse.Cli.Tests;

/// <summary>Command-line mistakes: one <c>synapse:</c> line on stderr and exit code 2; <c>--help</c> everywhere.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData(new string[0], "synapse: Required command was not provided (see 'synapse --help')")]
    [InlineData(new[] { "frobnicate" }, "synapse: Unrecognized command or argument 'frobnicate' (see 'synapse --help')")]
    [InlineData(new[] { "id" }, "synapse: Required argument missing for command: 'id' (see 'synapse id --help')")]
    [InlineData(new[] { "call", "127.0.0.1:1" }, "synapse: Required argument missing for command: 'call' (see 'synapse call --help')")]
    [InlineData(new[] { "keygen", "--bogus" }, "synapse: Unrecognized command or argument '--bogus' (see 'synapse keygen --help')")]
    [InlineData(new[] { "relay" }, "synapse: Option '--config' is required (see 'synapse relay --help')")]
    [InlineData(new[] { "call", "nohost", "sum" }, "synapse: invalid address 'nohost': expected HOST:PORT, e.g. 127.0.0.1:9999")]
    [InlineData(new[] { "call", "127.0.0.1:70000", "sum" }, "synapse: invalid address '127.0.0.1:70000': the port '70000' is not a number from 1 to 65535")]
    [InlineData(new[] { "inspect", "::1:80" }, "synapse: invalid address '::1:80': write an IPv6 host in brackets, e.g. [::1]:9999")]
    [InlineData(new[] { "call", "127.0.0.1:1", "sum", "--timeout", "0" }, "synapse: --timeout must be a number of seconds above 0 and at most 2000000, not 0")]
    [InlineData(new[] { "inspect", "127.0.0.1:1", "--timeout", "1e9" }, "synapse: --timeout must be a number of seconds above 0 and at most 2000000, not 1000000000")]
    [InlineData(new[] { "call", "127.0.0.1:1", "sum", "--passphrase-env", "HOME" }, "synapse: --passphrase-env needs --identity FILE")]
    public async Task Mistakes_are_one_line_and_exit_2(string[] args, string expected)
    {
        var result = await Cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal(expected + "\n", result.Stderr);
    }

    [Fact]
    public async Task A_timeout_that_is_not_a_number_is_a_usage_error()
    {
        var result = await Cli.RunAsync("call", "127.0.0.1:1", "sum", "--timeout", "soon");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("synapse: ", line, StringComparison.Ordinal);
        Assert.Contains("soon", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keygen", "synapse keygen [options]")]
    [InlineData("id", "synapse id <FILE> [options]")]
    [InlineData("call", "synapse call <HOST:PORT> <ENDPOINT> [<ARGS>...] [options]")]
    [InlineData("inspect", "synapse inspect <HOST:PORT> [options]")]
    [InlineData("relay", "synapse relay [options]")]
    [InlineData("reputation", "synapse reputation <AGENT-ID> [options]")]
    [InlineData("swarm watch", "synapse swarm watch <SEED> [options]")]
    [InlineData("swarm broadcast", "synapse swarm broadcast <SEED> <MESSAGE> [options]")]
    [InlineData("swarm ask", "synapse swarm ask <SEED> <TASK> [options]")]
    [InlineData("swarm list", "synapse swarm list [options]")]
    public async Task Every_command_has_help(string command, string usage)
    {
        var result = await Cli.RunAsync([.. command.Split(' '), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        Assert.Contains(usage, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_level_help_lists_every_command()
    {
        var result = await Cli.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "keygen", "id <FILE>", "call <HOST:PORT>", "inspect <HOST:PORT>", "find <HOST:PORT>", "reputation <AGENT-ID>", "relay", "swarm" })
        {
            Assert.Contains("  " + command, result.Stdout, StringComparison.Ordinal);
        }
    }
}
