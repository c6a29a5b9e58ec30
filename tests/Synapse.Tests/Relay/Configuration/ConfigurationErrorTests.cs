using Synapse.Relay;
using Synapse.Relay.Configuration;

namespace Synapse.Tests.Relay.Configuration;

public sealed class ConfigurationErrorTests
{
    private static RelayConfigurationException Refused(string json, string? source = "relay.json") =>
        Assert.Throws<RelayConfigurationException>(() => RelayConfiguration.Parse(json, source));

    [Theory]
    [InlineData("""{ "prot": 1 }""", "prot")]
    [InlineData("""{ "logger": { "log_levle": "INFO" } }""", "logger.log_levle")]
    [InlineData("""{ "hyper_parameters": { "client_timeout": 5 } }""", "hyper_parameters.client_timeout")]
    [InlineData("""{ "hyper_parameters": { "backpressure_policy": { "throttle": true } } }""", "hyper_parameters.backpressure_policy.throttle")]
    [InlineData("""{ "mailbox": { "ttl": 5 } }""", "mailbox.ttl")]
    [InlineData("""{ "summoner": { "enable": true } }""", "summoner.enable")]
    public void Unknown_key_at_any_level_is_named_by_its_path(string json, string key)
    {
        var e = Refused(json);
        Assert.Equal(key, e.Key);
        Assert.Equal("relay.json", e.SourceName);
        Assert.StartsWith("is not a known key", e.Problem);
        Assert.Equal($"relay.json: '{key}' {e.Problem}", e.Message);
    }

    [Theory]
    [InlineData("""{ "port": "8888" }""", "port", "expected an integer, got string")]
    [InlineData("""{ "port": 8888.5 }""", "port", "expected an integer, got number 8888.5")]
    [InlineData("""{ "port": 1e3 }""", "port", "expected an integer, got number 1e3")]
    [InlineData("""{ "port": 99999999999 }""", "port", "expected an integer between -2147483648 and 2147483647, got 99999999999")]
    [InlineData("""{ "host": 127 }""", "host", "expected a string, got number 127")]
    [InlineData("""{ "host": null }""", "host", "expected a string, got null")]
    [InlineData("""{ "version": false }""", "version", "expected a string or null, got boolean")]
    [InlineData("""{ "logger": [] }""", "logger", "expected an object, got array")]
    [InlineData("""{ "hyper_parameters": null }""", "hyper_parameters", "expected an object, got null")]
    [InlineData("""{ "logger": { "enable_file_log": "yes" } }""", "logger.enable_file_log", "expected true or false, got string")]
    [InlineData("""{ "logger": { "log_level": "VERBOSE" } }""", "logger.log_level", "expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got \"VERBOSE\"")]
    [InlineData("""{ "logger": { "log_level": null } }""", "logger.log_level", "expected a string, got null")]
    [InlineData("""{ "logger": { "log_keys": "agent" } }""", "logger.log_keys", "expected an array of strings or null, got string")]
    [InlineData("""{ "logger": { "log_keys": ["agent", 3] } }""", "logger.log_keys", "expected an array of strings, got number 3 at index 1")]
    [InlineData("""{ "hyper_parameters": { "client_timeout_secs": "600" } }""", "hyper_parameters.client_timeout_secs", "expected a number, got string")]
    [InlineData("""{ "hyper_parameters": { "throttle_delay_ms": -1 } }""", "hyper_parameters.throttle_delay_ms", "must not be negative")]
    [InlineData("""{ "hyper_parameters": { "worker_threads": 2.5 } }""", "hyper_parameters.worker_threads", "expected an integer, got number 2.5")]
    [InlineData("""{ "hyper_parameters": { "connection_buffer_size": 1.5 } }""", "hyper_parameters.connection_buffer_size", "expected an integer, got number 1.5")]
    [InlineData("""{ "hyper_parameters": { "backpressure_policy": { "throttle_threshold": "50" } } }""", "hyper_parameters.backpressure_policy.throttle_threshold", "expected an integer, got string")]
    [InlineData("""{ "mailbox": { "ttl_secs": 1e400 } }""", "mailbox.ttl_secs", "must be at most 2147483647")]
    [InlineData("""{ "summoner": { "port": true } }""", "summoner.port", "expected an integer, got boolean")]
    [InlineData("""{ "port": 1, "port": 2 }""", "port", "is set more than once")]
    public void Wrong_types_are_refused_with_key_and_problem(string json, string key, string problem)
    {
        var e = Refused(json);
        Assert.Equal(key, e.Key);
        Assert.Equal(problem, e.Problem);
        Assert.Contains("relay.json", e.Message);
    }

    [Theory]
    [InlineData("""{ "port": -1 }""", "port")]
    [InlineData("""{ "hyper_parameters": { "backpressure_policy": { "throttle_threshold": -5 } } }""", "hyper_parameters.backpressure_policy.throttle_threshold")]
    [InlineData("""{ "hyper_parameters": { "rate_limit_msgs_per_minute": 0 } }""", "hyper_parameters.rate_limit_msgs_per_minute")]
    [InlineData("""{ "logger": { "backup_count": -1 } }""", "logger.backup_count")]
    [InlineData("""{ "mailbox": { "max_messages": 0 } }""", "mailbox.max_messages")]
    [InlineData("""{ "mailbox": { "max_bytes": 4096, "max_total_bytes": 4095 } }""", "mailbox.max_total_bytes")]
    [InlineData("""{ "mailbox": { "ttl_secs": 2000000 }, "backplane": { "rabbitmq": { "uri": "amqp://h/" } } }""", "mailbox.ttl_secs")]
    [InlineData("""{ "summoner": { "max_line_bytes": 4 } }""", "summoner.max_line_bytes")]
    [InlineData("""{ "hyper_parameters": { "client_timeout_secs": 4300000 } }""", "hyper_parameters.client_timeout_secs")]
    [InlineData("""{ "hyper_parameters": { "max_frame_bytes": 2048, "max_queue_bytes_per_client": 1024 } }""", "hyper_parameters.max_queue_bytes_per_client")]
    [InlineData("""{ "hyper_parameters": { "frame_timeout_secs": 0 } }""", "hyper_parameters.frame_timeout_secs")]
    [InlineData("""{ "hyper_parameters": { "frame_timeout_secs": 4300000 } }""", "hyper_parameters.frame_timeout_secs")]
    [InlineData("""{ "hyper_parameters": { "max_frame_bytes": 2048, "max_partial_frame_bytes": 2048 } }""", "hyper_parameters.max_partial_frame_bytes")]
    [InlineData("""{ "hyper_parameters": { "max_partial_frame_bytes": 1048580 }, "summoner": { "max_line_bytes": 2000000 } }""", "hyper_parameters.max_partial_frame_bytes")]
    [InlineData("""{ "hyper_parameters": { "max_rooms_per_link": 0 } }""", "hyper_parameters.max_rooms_per_link")]
    public void Validation_errors_carry_the_file_name(string json, string key)
    {
        var e = Refused(json, "conf/relay.json");
        Assert.Equal(key, e.Key);
        Assert.Equal("conf/relay.json", e.SourceName);
        Assert.StartsWith("conf/relay.json: '" + key + "' ", e.Message);
    }

    [Fact]
    public void Without_a_file_name_the_message_still_names_key_and_problem()
    {
        var e = Refused("""{ "port": "x" }""", source: null);
        Assert.Null(e.SourceName);
        Assert.Equal("relay configuration: 'port' expected an integer, got string", e.Message);
    }

    [Fact]
    public void Malformed_json_names_file_and_line()
    {
        var e = Refused("{\n  \"host\": \"a\",\n  \"port\": 88 88\n}");
        Assert.Equal("", e.Key);
        Assert.Contains("line 3", e.Problem);
        Assert.StartsWith("relay.json: invalid JSON at line 3", e.Message);
        Assert.DoesNotContain("LineNumber", e.Message);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(e.InnerException);
    }

    [Fact]
    public void Unterminated_json_is_refused()
    {
        var e = Refused("{\n\"port\": 1,\n");
        Assert.Contains("invalid JSON at line", e.Message);
    }

    [Fact]
    public void Top_level_must_be_an_object()
    {
        var e = Refused("[1, 2]");
        Assert.Equal("relay.json: expected a JSON object at the top level, got array", e.Message);
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_in_errors()
    {
        using var dir = new TempDirectory();
        var good = dir.File("good.json");
        File.WriteAllText(good, SummonerConfigTests.SummonerServerConfig);
        Assert.Equal(8888, RelayConfiguration.Load(good).Port);

        var bad = dir.File("bad.json");
        File.WriteAllText(bad, """{ "hyper_parameters": { "max_connections": 0 } }""");
        var e = Assert.Throws<RelayConfigurationException>(() => RelayConfiguration.Load(bad));
        Assert.Equal(bad, e.SourceName);
        Assert.Equal("hyper_parameters.max_connections", e.Key);
        Assert.Contains(bad, e.Message);
    }

    [Fact]
    public void Load_of_a_missing_file_throws_file_not_found()
    {
        using var dir = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => RelayConfiguration.Load(dir.File("absent.json")));
    }

    [Fact]
    public void The_example_in_the_documentation_loads()
    {
        var doc = File.ReadAllText(RepositoryRoot.Path("docs", "relay-config.md"));
        var start = doc.IndexOf("```jsonc", StringComparison.Ordinal) + "```jsonc".Length;
        var end = doc.IndexOf("```", start, StringComparison.Ordinal);
        var o = RelayConfiguration.Parse(doc[start..end], "docs/relay-config.md");
        Assert.Equal(["agent", "remote_addr", "reason"], o.Logger.LogKeys!);
        Assert.Equal(33554432, o.Backpressure.DisconnectThresholdBytes);
        Assert.True(o.Summoner.Enabled);
    }
}
