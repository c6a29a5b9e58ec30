using Synapse.Relay.Logging;

namespace Synapse.Relay.Configuration;

/// <summary>The readers of each section of the configuration file.</summary>
public static partial class RelayConfiguration
{
    private static readonly HashSet<string> LoggerKeys = new(StringComparer.Ordinal)
    {
        "log_level", "enable_console_log", "console_log_format", "enable_file_log", "enable_json_log", "log_file_path",
        "log_format", "max_file_size", "backup_count", "date_format", "log_keys",
    };

    private static readonly HashSet<string> BackpressureKeys = new(StringComparer.Ordinal)
    {
        "enable_throttle", "throttle_threshold", "throttle_threshold_bytes", "enable_flow_control", "flow_control_threshold",
        "flow_control_threshold_bytes", "enable_disconnect", "disconnect_threshold", "disconnect_threshold_bytes",
        "max_flow_control_secs",
    };

    private static readonly HashSet<string> HyperParameterKeys = new(StringComparer.Ordinal)
    {
        "connection_buffer_size", "command_buffer_size", "control_channel_capacity", "queue_monitor_capacity",
        "client_timeout_secs", "timeout_check_interval_secs", "rate_limit_msgs_per_minute", "accept_error_backoff_ms",
        "quarantine_cooldown_secs", "quarantine_cleanup_interval_secs", "throttle_delay_ms", "flow_control_delay_ms",
        "worker_threads", "backpressure_policy", "max_frame_bytes", "max_queue_bytes_per_client", "max_connections",
        "handshake_timeout_secs", "quarantine_by_address", "frame_timeout_secs", "max_partial_frame_bytes", "max_rooms_per_link",
    };

    private static RelayOptions ReadTopLevel(ConfigSection top)
    {
        var defaults = new RelayOptions();
        var hyper = top.Section("hyper_parameters", nullIsAbsent: false);

        // Like Summoner's Rust server, logger keys may sit flattened in hyper_parameters when there is no logger section.
        var loggerSection = top.Section("logger", nullIsAbsent: true);
        var options = defaults with
        {
            Host = top.String("host", defaults.Host),
            Port = top.Int("port", defaults.Port),
            Version = top.NullableString("version", defaults.Version),
            Logger = loggerSection is not null || hyper is not null ? ReadLogger(loggerSection ?? hyper!) : defaults.Logger,
            IdentityFile = top.NullableString("identity_file", defaults.IdentityFile),
            IdentityPassphraseEnv = top.NullableString("identity_passphrase_env", defaults.IdentityPassphraseEnv),
        };

        if (hyper is not null)
        {
            options = ReadHyperParameters(hyper, options);
        }

        var mailbox = top.Section("mailbox", nullIsAbsent: false);
        if (mailbox is not null)
        {
            options = options with { Mailbox = ReadMailbox(mailbox) };
        }

        var summoner = top.Section("summoner", nullIsAbsent: false);
        if (summoner is not null)
        {
            options = options with { Summoner = ReadSummoner(summoner) };
        }

        var backplane = top.Section("backplane", nullIsAbsent: true);
        if (backplane is not null)
        {
            options = options with { Backplane = ReadBackplane(backplane) };
        }

        loggerSection?.Finish();
        hyper?.Finish(key =>
            LoggerKeys.Contains(key) && loggerSection is not null ? "it is a logger key and a logger section is present, so it belongs there" :
            BackpressureKeys.Contains(key) ? "it is a backpressure_policy key and hyper_parameters.backpressure_policy is present, so it belongs there" :
            null);
        top.Finish(key =>
            HyperParameterKeys.Contains(key) ? "it belongs in hyper_parameters" :
            LoggerKeys.Contains(key) ? "it belongs in logger" :
            BackpressureKeys.Contains(key) ? "it belongs in hyper_parameters.backpressure_policy" :
            null);
        return options;
    }

    private static RelayOptions ReadHyperParameters(ConfigSection s, RelayOptions d)
    {
        // Summoner's internal channel sizes and its timeout polling interval: accepted, no effect here.
        s.IgnoredPositiveInt("connection_buffer_size");
        s.IgnoredPositiveInt("command_buffer_size");
        s.IgnoredPositiveInt("control_channel_capacity");
        s.IgnoredPositiveInt("queue_monitor_capacity");
        s.IgnoredPositiveNumber("timeout_check_interval_secs");

        // Like Summoner's Rust server, backpressure keys may sit flattened in hyper_parameters when there is no section.
        var policy = s.Section("backpressure_policy", nullIsAbsent: true);
        var backpressure = ReadBackpressure(policy ?? s);
        policy?.Finish();

        return d with
        {
            ClientTimeout = s.NullableSeconds("client_timeout_secs", d.ClientTimeout),
            FrameTimeout = s.Seconds("frame_timeout_secs", d.FrameTimeout),
            MaxPartialFrameBytes = s.Long("max_partial_frame_bytes", d.MaxPartialFrameBytes),
            MaxRoomsPerLink = s.Int("max_rooms_per_link", d.MaxRoomsPerLink),
            RateLimitMessagesPerMinute = s.Int("rate_limit_msgs_per_minute", d.RateLimitMessagesPerMinute),
            AcceptErrorBackoff = s.Milliseconds("accept_error_backoff_ms", d.AcceptErrorBackoff),
            QuarantineCooldown = s.Seconds("quarantine_cooldown_secs", d.QuarantineCooldown),
            QuarantineCleanupInterval = s.Seconds("quarantine_cleanup_interval_secs", d.QuarantineCleanupInterval),
            QuarantineByAddress = s.Bool("quarantine_by_address", d.QuarantineByAddress),
            ThrottleDelay = s.Milliseconds("throttle_delay_ms", d.ThrottleDelay),
            FlowControlDelay = s.Milliseconds("flow_control_delay_ms", d.FlowControlDelay),
            WorkerThreads = s.NullableInt("worker_threads", d.WorkerThreads),
            Backpressure = backpressure,
            MaxFrameBytes = s.Int("max_frame_bytes", d.MaxFrameBytes),
            MaxQueueBytesPerClient = s.Long("max_queue_bytes_per_client", d.MaxQueueBytesPerClient),
            MaxConnections = s.Int("max_connections", d.MaxConnections),
            HandshakeTimeout = s.Seconds("handshake_timeout_secs", d.HandshakeTimeout),
        };
    }

    private static BackpressurePolicy ReadBackpressure(ConfigSection s)
    {
        var d = new BackpressurePolicy();
        return new BackpressurePolicy
        {
            EnableThrottle = s.Bool("enable_throttle", d.EnableThrottle),
            ThrottleThreshold = s.Int("throttle_threshold", d.ThrottleThreshold),
            ThrottleThresholdBytes = s.Long("throttle_threshold_bytes", d.ThrottleThresholdBytes),
            EnableFlowControl = s.Bool("enable_flow_control", d.EnableFlowControl),
            FlowControlThreshold = s.Int("flow_control_threshold", d.FlowControlThreshold),
            FlowControlThresholdBytes = s.Long("flow_control_threshold_bytes", d.FlowControlThresholdBytes),
            EnableDisconnect = s.Bool("enable_disconnect", d.EnableDisconnect),
            DisconnectThreshold = s.Int("disconnect_threshold", d.DisconnectThreshold),
            DisconnectThresholdBytes = s.Long("disconnect_threshold_bytes", d.DisconnectThresholdBytes),
            MaxFlowControl = s.Seconds("max_flow_control_secs", d.MaxFlowControl),
        };
    }

    private static RelayLogOptions ReadLogger(ConfigSection s)
    {
        var d = new RelayLogOptions();
        return new RelayLogOptions
        {
            LogLevel = ReadLevel(s, d.LogLevel),
            EnableConsoleLog = s.Bool("enable_console_log", d.EnableConsoleLog),
            ConsoleLogFormat = s.NullableString("console_log_format", d.ConsoleLogFormat),
            EnableFileLog = s.Bool("enable_file_log", d.EnableFileLog),
            EnableJsonLog = s.Bool("enable_json_log", d.EnableJsonLog),
            LogFilePath = s.String("log_file_path", d.LogFilePath),
            LogFormat = s.NullableString("log_format", d.LogFormat),
            MaxFileSize = s.Long("max_file_size", d.MaxFileSize),
            BackupCount = s.Int("backup_count", d.BackupCount),
            DateFormat = s.String("date_format", d.DateFormat),
            LogKeys = s.NullableStringList("log_keys", d.LogKeys),
        };
    }

    private static RelayLogLevel ReadLevel(ConfigSection s, RelayLogLevel fallback)
    {
        if (!s.Has("log_level"))
        {
            return fallback;
        }

        var name = s.String("log_level", "");
        return name.ToUpperInvariant() switch
        {
            "DEBUG" => RelayLogLevel.Debug,
            "INFO" => RelayLogLevel.Info,
            "WARNING" => RelayLogLevel.Warning,
            "ERROR" => RelayLogLevel.Error,
            "CRITICAL" => RelayLogLevel.Critical,
            _ => throw s.Error("log_level", $"expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got \"{name}\""),
        };
    }

    private static MailboxOptions ReadMailbox(ConfigSection s)
    {
        var d = new MailboxOptions();
        var mailbox = new MailboxOptions
        {
            MaxMessages = s.Int("max_messages", d.MaxMessages),
            MaxBytes = s.Long("max_bytes", d.MaxBytes),
            MaxTotalBytes = s.Long("max_total_bytes", d.MaxTotalBytes),
            TimeToLive = s.Seconds("ttl_secs", d.TimeToLive),
        };
        s.Finish();
        return mailbox;
    }

    private static SummonerListenerOptions ReadSummoner(ConfigSection s)
    {
        var d = new SummonerListenerOptions();
        var summoner = new SummonerListenerOptions
        {
            Enabled = s.Bool("enabled", d.Enabled),
            Host = s.NullableString("host", d.Host),
            Port = s.Int("port", d.Port),
            MaxLineBytes = s.Int("max_line_bytes", d.MaxLineBytes),
        };
        s.Finish();
        return summoner;
    }

    private static BackplaneOptions ReadBackplane(ConfigSection s)
    {
        var rabbit = s.Section("rabbitmq", nullIsAbsent: false) ?? throw s.Error("rabbitmq", "the backplane section needs a 'rabbitmq' section (the one broker supported)");
        s.Finish();
        var uriText = rabbit.NullableString("uri", null) ?? throw rabbit.Error("uri", "is required: the broker's amqp:// URI");
        if (!Uri.TryCreate(uriText, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            throw rabbit.Error("uri", $"'{RedactedUri(uriText)}' is not an amqp:// or amqps:// URI");
        }

        var d = new BackplaneOptions { Uri = uri };
        var options = d with
        {
            Prefix = rabbit.String("prefix", d.Prefix),
            ConfirmTimeout = rabbit.Seconds("confirm_timeout_secs", d.ConfirmTimeout),
            MaxReconnectDelay = rabbit.Seconds("max_reconnect_delay_secs", d.MaxReconnectDelay),
        };
        rabbit.Finish();
        return options;
    }

    /// <summary>A URI with its password replaced, fit for an error message.</summary>
    internal static string RedactedUri(string uri)
    {
        var at = uri.IndexOf('@', StringComparison.Ordinal);
        var scheme = uri.IndexOf("://", StringComparison.Ordinal);
        var colon = scheme < 0 || at < 0 ? -1 : uri.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? uri[..(colon + 1)] + "***" + uri[at..] : uri;
    }
}
