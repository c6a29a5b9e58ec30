using System.Text;
using Synapse.Fuzz.Tests.Engine;
using Synapse.Relay.Configuration;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>
/// A relay reading its configuration file (often copied from elsewhere): <see cref="RelayConfiguration.Parse"/>.
/// There is no configuration writer, so the seeds are the documented example (docs/relay-config.md) and small files.
/// </summary>
public sealed class RelayConfigTarget : FuzzTarget
{
    private const string Documented = """
        {
            "host": "0.0.0.0",
            "port": 8888,
            "version": "rss_3",                     // kept for Summoner's launcher; unused by Synapse
            "identity_file": "/var/lib/synapse/relay.key",
            "identity_passphrase_env": "RELAY_KEY_PASSPHRASE",
            "logger": {
                "log_level": "INFO",
                "enable_console_log": true,
                "enable_file_log": true,
                "enable_json_log": true,
                "log_file_path": "logs/",
                "max_file_size": 10000000,
                "backup_count": 5,
                "date_format": "%Y-%m-%d %H:%M:%S.%3f",
                "log_keys": ["agent", "remote_addr", "reason"]
            },
            "hyper_parameters": {
                "client_timeout_secs": 600,
                "rate_limit_msgs_per_minute": 1000,
                "quarantine_cooldown_secs": 600,
                "throttle_delay_ms": 200,
                "flow_control_delay_ms": 1000,
                "max_frame_bytes": 1048576,
                "max_connections": 5000,
                "backpressure_policy": {
                    "throttle_threshold": 50,
                    "flow_control_threshold": 150,
                    "disconnect_threshold": 300,
                    "disconnect_threshold_bytes": 33554432,
                },
            },
            "mailbox": { "max_messages": 500, "ttl_secs": 3600 },
            "summoner": { "enabled": true, "port": 8889 }
        }
        """;

    /// <inheritdoc />
    public override string Name => "relay-config";

    /// <summary>The UTF-16 copy of the text and the JSON document: several bytes per input byte.</summary>
    public override long AllocationPerByte => 96;

    /// <inheritdoc />
    public override IReadOnlyList<byte[]> Dictionary { get; } =
        [.. new[] { "{", "}", "[", "]", "\"", ":", ",", "//", "/*", "*/", "null", "true", "-1", "1e308", "99999999999999999999", "0.5", "\"%\"", "\"%Y%3f\"", "\"DEBUG\"" }
            .Select(Encoding.UTF8.GetBytes)];

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        yield return Encoding.UTF8.GetBytes(Documented);
        yield return """{ "port": 7400, "logger": { "log_level": "DEBUG", "date_format": "%H:%M" } }"""u8.ToArray();
        yield return "{}"u8.ToArray();
    }

    /// <inheritdoc />
    public override void Run(byte[] input) => RelayConfiguration.Parse(Encoding.UTF8.GetString(input), "fuzz.json");

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is RelayConfigurationException;
}
