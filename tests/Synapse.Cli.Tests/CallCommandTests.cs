using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Synapse.Cli.Tests;

/// <summary><c>synapse call</c> against a real host on loopback.</summary>
public sealed class CallCommandTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Arguments_are_parsed_as_json()
    {
        var result = await Cli.RunAsync("call", _node.Address, "sum", "40", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("42\n", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Structured_json_round_trips_and_prints_indented()
    {
        var result = await Cli.RunAsync("call", _node.Address, "echo", """{"name":"ann","tags":[1,2.5,true,null],"nested":{"k":"v"}}""");

        Assert.Equal(0, result.ExitCode);
        var expected = """
            {
              "name": "ann",
              "tags": [
                1,
                2.5,
                true,
                null
              ],
              "nested": {
                "k": "v"
              }
            }

            """.ReplaceLineEndings("\n");
        Assert.Equal(expected, result.Stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_bare_word_that_is_not_json_is_sent_as_a_string()
    {
        var result = await Cli.RunAsync("call", _node.Address, "pair", "hello world", "\"42\"");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new[] { "hello world", "42" }, JsonSerializer.Deserialize<string[]>(result.Stdout)!);
    }

    [Fact]
    public async Task An_argument_starting_with_at_is_a_string_not_a_response_file()
    {
        var result = await Cli.RunAsync("call", _node.Address, "echo", "@notes.txt");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("\"@notes.txt\"\n", result.Stdout);
    }

    [Fact]
    public async Task Negative_numbers_are_arguments_not_options()
    {
        var result = await Cli.RunAsync("call", _node.Address, "sum", "-5", "3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("-2\n", result.Stdout);
    }

    [Fact]
    public async Task Raw_prints_strings_as_they_are_and_json_on_one_line()
    {
        var text = await Cli.RunAsync("call", _node.Address, "echo", "plain text", "--raw");
        var list = await Cli.RunAsync("call", _node.Address, "echo", "[1, {\"a\": 2}]", "--raw");

        Assert.Equal("plain text\n", text.Stdout);
        Assert.Equal("[1,{\"a\":2}]\n", list.Stdout);
    }

    [Fact]
    public async Task Binary_results_print_as_base64_with_a_note()
    {
        var result = await Cli.RunAsync("call", _node.Address, "bytes", "3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("\"AQID\"\n", result.Stdout);
        Assert.Equal("synapse: note: binary data is shown as base64 strings\n", result.Stderr);
    }

    [Fact]
    public async Task Extension_results_print_as_an_object_with_a_note()
    {
        var result = await Cli.RunAsync("call", _node.Address, "ext");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(7, json.RootElement.GetProperty("$ext").GetInt32());
        Assert.Equal("AQI=", json.RootElement.GetProperty("data").GetString());
        Assert.Contains("extension", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_endpoint_prints_the_remote_error_type_and_message()
    {
        var result = await Cli.RunAsync("call", _node.Address, "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("synapse: 'nope' failed: bad_request: Unregistered endpoint called: nope\n", result.Stderr);
    }

    [Fact]
    public async Task A_failing_handler_prints_internal_error()
    {
        var result = await Cli.RunAsync("call", _node.Address, "fail");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("synapse: 'fail' failed: internal_error: kaboom\n", result.Stderr);
    }

    [Fact]
    public async Task A_refused_connection_is_one_clear_line()
    {
        var port = Cli.UnusedPort();

        var result = await Cli.RunAsync("call", $"127.0.0.1:{port}", "sum", "1", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"synapse: cannot connect to 127.0.0.1:{port}: connection refused\n", result.Stderr);
    }

    [Fact]
    public async Task A_call_slower_than_the_timeout_fails()
    {
        var started = DateTime.UtcNow;

        var result = await Cli.RunAsync("call", _node.Address, "slow", "30", "--timeout", "0.3");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("synapse: call to 'slow' timed out after 0.3 s\n", result.Stderr);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancelling_a_call_exits_with_130()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var stdout = new CapturingWriter();
        var stderr = new CapturingWriter();

        var code = await SynapseCli.RunAsync(["call", _node.Address, "slow", "30"], stdout, stderr, stop.Token);

        Assert.Equal(130, code);
        Assert.Equal("", stdout.ToString());
        Assert.Equal("synapse: cancelled", stderr.ToString().TrimEnd());
    }

    [Fact]
    public async Task The_identity_option_proves_the_key_file_on_the_secure_link()
    {
        using var dir = new TempDirectory();
        var key = dir.File("caller.key");
        var id = (await Cli.RunAsync("keygen", "--out", key)).Stdout.TrimEnd('\n');

        var result = await Cli.RunAsync("call", _node.Address, "whoami", "--identity", key, "--raw");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(id + "\n", result.Stdout);
    }

    [Fact]
    public async Task A_missing_identity_file_is_a_usage_error()
    {
        var result = await Cli.RunAsync("call", _node.Address, "sum", "1", "2", "--identity", "/nonexistent/caller.key");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("synapse: cannot read key file '/nonexistent/caller.key': file not found\n", result.Stderr);
    }
}
