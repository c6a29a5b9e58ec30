namespace Synapse.Relay.Configuration;

/// <summary>The relay's log (<c>logger</c>), with Summoner's keys.</summary>
public sealed record RelayLogOptions
{
    /// <summary>The lowest level written (<c>log_level</c>).</summary>
    public RelayLogLevel LogLevel { get; init; } = RelayLogLevel.Debug;

    /// <summary>Whether records go to the console (<c>enable_console_log</c>).</summary>
    public bool EnableConsoleLog { get; init; } = true;

    /// <summary>Summoner's Python console format (<c>console_log_format</c>); accepted, the console format is fixed.</summary>
    public string? ConsoleLogFormat { get; init; }

    /// <summary>Whether records go to a file (<c>enable_file_log</c>).</summary>
    public bool EnableFileLog { get; init; }

    /// <summary>Whether file records are JSON lines (<c>enable_json_log</c>).</summary>
    public bool EnableJsonLog { get; init; }

    /// <summary>The directory of the log file (<c>log_file_path</c>); empty for the working directory.</summary>
    public string LogFilePath { get; init; } = "";

    /// <summary>Summoner's Python file format (<c>log_format</c>); accepted, the text format is fixed.</summary>
    public string? LogFormat { get; init; }

    /// <summary>The size at which the file is rotated (<c>max_file_size</c>), in bytes.</summary>
    public long MaxFileSize { get; init; } = 1_000_000;

    /// <summary>How many rotated files are kept (<c>backup_count</c>).</summary>
    public int BackupCount { get; init; } = 3;

    /// <summary>The timestamp format in Python's strftime syntax (<c>date_format</c>); <c>%&lt;n&gt;f</c> writes n fraction digits.</summary>
    public string DateFormat { get; init; } = "%Y-%m-%d %H:%M:%S.%3f";

    /// <summary>When set, only these routing-metadata fields are logged (<c>log_keys</c>); null logs all of them.</summary>
    public IReadOnlyList<string>? LogKeys { get; init; }

    internal void Validate()
    {
        RelayOptions.Check(MaxFileSize > 0, "logger.max_file_size", "must be positive");
        RelayOptions.Check(BackupCount >= 0, "logger.backup_count", "must not be negative");
        RelayOptions.Check(!string.IsNullOrEmpty(DateFormat), "logger.date_format", "must not be empty");
    }
}
