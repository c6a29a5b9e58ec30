using System.Text.RegularExpressions;

namespace Synapse.Cli.Tests;

/// <summary><c>synapse relay --config FILE</c>.</summary>
public sealed partial class RelayCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_relay_prints_where_it_listens_and_stops_on_cancel()
    {
        var config = _dir.File("relay.json");
        File.WriteAllText(config, """{"host":"127.0.0.1","port":0}""");
        var stdout = new CapturingWriter { NewLine = "\n" };
        var stderr = new CapturingWriter { NewLine = "\n" };
        using var stop = new CancellationTokenSource();

        var running = SynapseCli.RunAsync(["relay", "--config", config], stdout, stderr, stop.Token);
        var line = await stdout.WaitForLineAsync("listening on", running, TimeSpan.FromSeconds(20));

        var match = ListeningLine().Match(line);
        Assert.True(match.Success, line);
        Assert.NotEqual("0", match.Groups["port"].Value);
        Assert.False(running.IsCompleted);

        stop.Cancel();
        var code = await running.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, code);
        var log = stderr.ToString();
        Assert.Contains(" - INFO - relay started ", log); // the relay's own log goes to the command's stderr
        Assert.EndsWith("synapse: relay stopped\n", log);
    }

    [Fact]
    public async Task A_configuration_error_is_one_line_and_exit_2()
    {
        var config = _dir.File("relay.json");
        File.WriteAllText(config, """{"host":"127.0.0.1","port":70000}""");

        var result = await Cli.RunAsync("relay", "--config", config);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("synapse: ", line, StringComparison.Ordinal);
        Assert.Contains("port", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_configuration_file_is_one_line_and_exit_2()
    {
        var config = _dir.File("missing.json");

        var result = await Cli.RunAsync("relay", "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"synapse: cannot read relay configuration '{config}': file not found\n", result.Stderr);
    }

    [Fact]
    public async Task An_unreachable_broker_is_one_line_naming_its_address_and_exit_1()
    {
        var config = _dir.File("relay.json");
        File.WriteAllText(config, """{"host":"127.0.0.1","port":0,"logger":{"enable_console_log":false},"backplane":{"rabbitmq":{"uri":"amqp://relay:hunter2@127.0.0.1:1/"}}}""");

        var result = await Cli.RunAsync("relay", "--config", config);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("synapse: ", line, StringComparison.Ordinal);
        Assert.Contains("amqp://127.0.0.1:1", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^relay did:key:z6Mk\w+ listening on 127\.0\.0\.1:(?<port>\d+)$")]
    private static partial Regex ListeningLine();
}
