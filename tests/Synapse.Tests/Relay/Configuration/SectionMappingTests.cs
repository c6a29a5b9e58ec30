using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;

namespace Synapse.Tests.Relay.Configuration;

public sealed class SectionMappingTests
{
    [Fact]
    public void Every_key_of_every_section_is_mapped()
    {
        var o = RelayConfiguration.Parse("""
            {
                "host": "10.0.0.5",
                "port": 7000,
                "version": "anything at all",
                "identity_file": "/etc/synapse/relay.key",
                "identity_passphrase_env": "RELAY_KEY_PASS",
                "logger": {
                    "log_level": "WARNING",
                    "enable_console_log": false,
                    "console_log_format": "c",
                    "enable_file_log": true,
                    "enable_json_log": true,
                    "log_file_path": "/var/log/relay",
                    "log_format": "f",
                    "max_file_size": 5000000000,
                    "backup_count": 0,
                    "date_format": "%H:%M",
                    "log_keys": ["agent", "room"]
                },
                "hyper_parameters": {
                    "client_timeout_secs": 12.5,
                    "rate_limit_msgs_per_minute": 42,
                    "accept_error_backoff_ms": 0.5,
                    "quarantine_cooldown_secs": 0,
                    "quarantine_cleanup_interval_secs": 7,
                    "quarantine_by_address": false,
                    "throttle_delay_ms": 25,
                    "flow_control_delay_ms": 250.25,
                    "worker_threads": null,
                    "max_frame_bytes": 2048,
                    "max_queue_bytes_per_client": 9000000000,
                    "max_connections": 12,
                    "handshake_timeout_secs": 1.5,
                    "frame_timeout_secs": 2.5,
                    "max_partial_frame_bytes": 3000000,
                    "max_rooms_per_link": 7,
                    "backpressure_policy": {
                        "enable_throttle": false,
                        "throttle_threshold": 11,
                        "throttle_threshold_bytes": 1100,
                        "enable_flow_control": false,
                        "flow_control_threshold": 22,
                        "flow_control_threshold_bytes": 2200,
                        "enable_disconnect": false,
                        "disconnect_threshold": 33,
                        "disconnect_threshold_bytes": 3300,
                        "max_flow_control_secs": 4.5
                    }
                },
                "mailbox": { "max_messages": 5, "max_bytes": 6000, "max_total_bytes": 60000, "ttl_secs": 3600.5 },
                "summoner": { "enabled": true, "host": "0.0.0.0", "port": 0, "max_line_bytes": 100 }
            }
            """);

        Assert.Equal(("10.0.0.5", 7000, "anything at all"), (o.Host, o.Port, o.Version));
        Assert.Equal("/etc/synapse/relay.key", o.IdentityFile);
        Assert.Equal("RELAY_KEY_PASS", o.IdentityPassphraseEnv);

        Assert.Equal(new RelayLogOptions
        {
            LogLevel = RelayLogLevel.Warning,
            EnableConsoleLog = false,
            ConsoleLogFormat = "c",
            EnableFileLog = true,
            EnableJsonLog = true,
            LogFilePath = "/var/log/relay",
            LogFormat = "f",
            MaxFileSize = 5_000_000_000,
            BackupCount = 0,
            DateFormat = "%H:%M",
            LogKeys = o.Logger.LogKeys,
        }, o.Logger);
        Assert.Equal(["agent", "room"], o.Logger.LogKeys!);

        Assert.Equal(TimeSpan.FromSeconds(12.5), o.ClientTimeout);
        Assert.Equal(42, o.RateLimitMessagesPerMinute);
        Assert.Equal(TimeSpan.FromMilliseconds(0.5), o.AcceptErrorBackoff);
        Assert.Equal(TimeSpan.Zero, o.QuarantineCooldown);
        Assert.Equal(TimeSpan.FromSeconds(7), o.QuarantineCleanupInterval);
        Assert.False(o.QuarantineByAddress);
        Assert.Equal(TimeSpan.FromMilliseconds(25), o.ThrottleDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(250.25), o.FlowControlDelay);
        Assert.Null(o.WorkerThreads);
        Assert.Equal(2048, o.MaxFrameBytes);
        Assert.Equal(9_000_000_000, o.MaxQueueBytesPerClient);
        Assert.Equal(12, o.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(1.5), o.HandshakeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2.5), o.FrameTimeout);
        Assert.Equal(3_000_000, o.MaxPartialFrameBytes);
        Assert.Equal(7, o.MaxRoomsPerLink);

        Assert.Equal(new BackpressurePolicy
        {
            EnableThrottle = false,
            ThrottleThreshold = 11,
            ThrottleThresholdBytes = 1100,
            EnableFlowControl = false,
            FlowControlThreshold = 22,
            FlowControlThresholdBytes = 2200,
            EnableDisconnect = false,
            DisconnectThreshold = 33,
            DisconnectThresholdBytes = 3300,
            MaxFlowControl = TimeSpan.FromSeconds(4.5),
        }, o.Backpressure);

        Assert.Equal(new MailboxOptions { MaxMessages = 5, MaxBytes = 6000, MaxTotalBytes = 60000, TimeToLive = TimeSpan.FromSeconds(3600.5) }, o.Mailbox);
        Assert.Equal(new SummonerListenerOptions { Enabled = true, Host = "0.0.0.0", Port = 0, MaxLineBytes = 100 }, o.Summoner);
    }

    [Fact]
    public void Backpressure_keys_may_sit_flattened_in_hyper_parameters_when_there_is_no_policy_section()
    {
        var o = RelayConfiguration.Parse("""
            { "hyper_parameters": { "throttle_threshold": 7, "enable_disconnect": false, "disconnect_threshold_bytes": 99999 } }
            """);
        Assert.Equal(7, o.Backpressure.ThrottleThreshold);
        Assert.False(o.Backpressure.EnableDisconnect);
        Assert.Equal(99999, o.Backpressure.DisconnectThresholdBytes);
        Assert.Equal(new BackpressurePolicy().FlowControlThreshold, o.Backpressure.FlowControlThreshold);
    }

    [Fact]
    public void Null_backpressure_policy_falls_back_to_flattened_keys()
    {
        var o = RelayConfiguration.Parse("""
            { "hyper_parameters": { "backpressure_policy": null, "flow_control_threshold": 120 } }
            """);
        Assert.Equal(120, o.Backpressure.FlowControlThreshold);
    }

    [Fact]
    public void Flattened_key_beside_a_policy_section_is_refused_not_silently_ignored()
    {
        var e = Assert.Throws<RelayConfigurationException>(() => RelayConfiguration.Parse("""
            { "hyper_parameters": { "throttle_threshold": 7, "backpressure_policy": { "throttle_threshold": 8 } } }
            """));
        Assert.Equal("hyper_parameters.throttle_threshold", e.Key);
        Assert.Contains("backpressure_policy", e.Problem);
    }

    [Fact]
    public void Logger_keys_may_sit_flattened_in_hyper_parameters_when_there_is_no_logger_section()
    {
        var o = RelayConfiguration.Parse("""
            { "logger": null, "hyper_parameters": { "log_level": "ERROR", "backup_count": 9 } }
            """);
        Assert.Equal(RelayLogLevel.Error, o.Logger.LogLevel);
        Assert.Equal(9, o.Logger.BackupCount);
    }

    [Fact]
    public void Flattened_logger_key_beside_a_logger_section_is_refused()
    {
        var e = Assert.Throws<RelayConfigurationException>(() => RelayConfiguration.Parse("""
            { "logger": { "log_level": "INFO" }, "hyper_parameters": { "log_level": "ERROR" } }
            """));
        Assert.Equal("hyper_parameters.log_level", e.Key);
        Assert.Contains("logger", e.Problem);
    }

    [Fact]
    public void Logger_key_at_the_top_level_is_refused_with_advice()
    {
        var e = Assert.Throws<RelayConfigurationException>(() => RelayConfiguration.Parse("""{ "log_level": "INFO" }"""));
        Assert.Equal("log_level", e.Key);
        Assert.Contains("belongs in logger", e.Problem);
    }

    [Fact]
    public void Summoner_internal_channel_sizes_are_accepted_but_must_be_positive()
    {
        RelayConfiguration.Parse("""{ "hyper_parameters": { "connection_buffer_size": 1, "timeout_check_interval_secs": 0.5 } }""");
        var e = Assert.Throws<RelayConfigurationException>(() =>
            RelayConfiguration.Parse("""{ "hyper_parameters": { "queue_monitor_capacity": 0 } }"""));
        Assert.Equal("hyper_parameters.queue_monitor_capacity", e.Key);
        Assert.Equal("must be positive", e.Problem);
    }

    [Fact]
    public void Time_in_flow_control_must_be_positive()
    {
        var e = Assert.Throws<RelayConfigurationException>(() =>
            RelayConfiguration.Parse("""{ "hyper_parameters": { "backpressure_policy": { "max_flow_control_secs": 0 } } }"""));
        Assert.Equal("hyper_parameters.backpressure_policy.max_flow_control_secs", e.Key);
        Assert.Equal("must be positive", e.Problem);
    }
}
