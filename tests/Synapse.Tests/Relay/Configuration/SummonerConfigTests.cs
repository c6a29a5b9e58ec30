using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;

namespace Synapse.Tests.Relay.Configuration;

public sealed class SummonerConfigTests
{
    /// <summary>Summoner's documented Rust server configuration, unchanged.</summary>
    internal const string SummonerServerConfig = """
        {
            "host": "127.0.0.1",
            "port": 8888,
            "version": "rss_3",
            "logger": {
                "log_level": "INFO",
                "enable_console_log": true,
                "console_log_format": "\u001b[92m%(asctime)s\u001b[0m - \u001b[94m%(name)s\u001b[0m - %(levelname)s - %(message)s",
                "enable_file_log": true,
                "enable_json_log": true,
                "log_file_path": "logs/",
                "log_format": "%(asctime)s - %(name)s - %(levelname)s - %(message)s",
                "max_file_size": 1000000,
                "backup_count": 3,
                "date_format": "%Y-%m-%d %H:%M:%S.%3f",
                "log_keys": null
            },
            "hyper_parameters": {
                "connection_buffer_size": 256,
                "command_buffer_size": 64,
                "control_channel_capacity": 8,
                "queue_monitor_capacity": 100,
                "client_timeout_secs": 600,
                "rate_limit_msgs_per_minute": 1000,
                "timeout_check_interval_secs": 30,
                "accept_error_backoff_ms": 100,
                "quarantine_cooldown_secs": 600,
                "quarantine_cleanup_interval_secs": 60,
                "throttle_delay_ms": 200,
                "flow_control_delay_ms": 1000,
                "worker_threads": 4,
                "backpressure_policy": {
                    "enable_throttle": true,
                    "throttle_threshold": 50,
                    "enable_flow_control": true,
                    "flow_control_threshold": 150,
                    "enable_disconnect": true,
                    "disconnect_threshold": 300
                }
            }
        }
        """;

    [Fact]
    public void Summoner_server_config_loads_unchanged_with_every_value_mapped()
    {
        var o = RelayConfiguration.Parse(SummonerServerConfig, "server_config.json");

        Assert.Equal("127.0.0.1", o.Host);
        Assert.Equal(8888, o.Port);
        Assert.Equal("rss_3", o.Version);

        var log = o.Logger;
        Assert.Equal(RelayLogLevel.Info, log.LogLevel);
        Assert.True(log.EnableConsoleLog);
        Assert.Equal("\u001b[92m%(asctime)s\u001b[0m - \u001b[94m%(name)s\u001b[0m - %(levelname)s - %(message)s", log.ConsoleLogFormat);
        Assert.True(log.EnableFileLog);
        Assert.True(log.EnableJsonLog);
        Assert.Equal("logs/", log.LogFilePath);
        Assert.Equal("%(asctime)s - %(name)s - %(levelname)s - %(message)s", log.LogFormat);
        Assert.Equal(1_000_000, log.MaxFileSize);
        Assert.Equal(3, log.BackupCount);
        Assert.Equal("%Y-%m-%d %H:%M:%S.%3f", log.DateFormat);
        Assert.Null(log.LogKeys);

        Assert.Equal(TimeSpan.FromSeconds(600), o.ClientTimeout);
        Assert.Equal(1000, o.RateLimitMessagesPerMinute);
        Assert.Equal(TimeSpan.FromMilliseconds(100), o.AcceptErrorBackoff);
        Assert.Equal(TimeSpan.FromSeconds(600), o.QuarantineCooldown);
        Assert.Equal(TimeSpan.FromSeconds(60), o.QuarantineCleanupInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(200), o.ThrottleDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), o.FlowControlDelay);
        Assert.Equal(4, o.WorkerThreads);

        var bp = o.Backpressure;
        Assert.True(bp.EnableThrottle);
        Assert.Equal(50, bp.ThrottleThreshold);
        Assert.True(bp.EnableFlowControl);
        Assert.Equal(150, bp.FlowControlThreshold);
        Assert.True(bp.EnableDisconnect);
        Assert.Equal(300, bp.DisconnectThreshold);

        // What the Summoner file does not set keeps Synapse's defaults.
        var defaults = new RelayOptions();
        Assert.Equal(defaults.Backpressure.ThrottleThresholdBytes, bp.ThrottleThresholdBytes);
        Assert.Equal(defaults.MaxFrameBytes, o.MaxFrameBytes);
        Assert.Equal(defaults.Mailbox, o.Mailbox);
        Assert.Equal(defaults.Summoner, o.Summoner);
        Assert.Null(o.IdentityFile);
    }

    [Fact]
    public void An_empty_object_gives_the_defaults()
    {
        var o = RelayConfiguration.Parse("{}");
        var d = new RelayOptions();
        Assert.Equal(d with { Logger = o.Logger, Backpressure = o.Backpressure }, o);
        Assert.Equal(d.Logger.DateFormat, o.Logger.DateFormat);
        Assert.Equal(d.Backpressure, o.Backpressure);
        Assert.Equal(TimeSpan.FromSeconds(300), o.ClientTimeout);
    }

    [Fact]
    public void Null_client_timeout_means_no_timeout()
    {
        var o = RelayConfiguration.Parse("""{ "hyper_parameters": { "client_timeout_secs": null } }""");
        Assert.Null(o.ClientTimeout);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_allowed()
    {
        var o = RelayConfiguration.Parse("""
            {
                // the port agents dial
                "port": 9000, /* block comment */
                "host": "0.0.0.0",
            }
            """);
        Assert.Equal(9000, o.Port);
        Assert.Equal("0.0.0.0", o.Host);
    }

    [Theory]
    [InlineData("debug", RelayLogLevel.Debug)]
    [InlineData("Info", RelayLogLevel.Info)]
    [InlineData("WARNING", RelayLogLevel.Warning)]
    [InlineData("error", RelayLogLevel.Error)]
    [InlineData("CRITICAL", RelayLogLevel.Critical)]
    public void Log_level_names_are_case_insensitive(string name, RelayLogLevel level)
    {
        var o = RelayConfiguration.Parse($$"""{ "logger": { "log_level": "{{name}}" } }""");
        Assert.Equal(level, o.Logger.LogLevel);
    }
}
