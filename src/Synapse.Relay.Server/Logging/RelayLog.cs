using System.Text;
using Microsoft.Extensions.Logging;
using Synapse.Relay.Configuration;

namespace Synapse.Relay.Logging;

/// <summary>
/// The relay's log: records of routing metadata (never payloads) to the console and, when <c>enable_file_log</c> is on,
/// to <c>&lt;log_file_path&gt;/&lt;name&gt;.log</c>, rotated like Python's <c>RotatingFileHandler</c>.
/// </summary>
/// <remarks>
/// <para>Console lines, and file lines unless <c>enable_json_log</c> is on, read
/// <c>timestamp - name - LEVEL - message key=value …</c>. JSON file lines read
/// <c>{"timestamp","name","level","message","fields":{…}}</c>, the fields nested so that they never collide with the
/// record's own keys (and left out when there are none).</para>
/// <para>Timestamps are local time in <c>date_format</c> (Python strftime syntax). When <c>log_keys</c> is set, only
/// fields whose key is listed are written; the message always is. The instance is thread safe. A record the file cannot
/// take (disk full) is dropped there rather than failing the relay.</para>
/// </remarks>
public sealed class RelayLog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TextWriter? _console;
    private readonly ILogger? _logger;
    private readonly RotatingLogFile? _file;
    private readonly TimeProvider _time;
    private readonly StrftimeFormat _dateFormat;
    private readonly HashSet<string>? _keys;
    private volatile bool _disposed;

    /// <summary>Creates a log, creating the log directory and opening the file when file logging is on.</summary>
    /// <param name="name">The logger name written in each record; the file is named after it.</param>
    /// <param name="options">The configuration.</param>
    /// <param name="console">Where console records go; standard error when null.</param>
    /// <param name="time">The clock for timestamps.</param>
    /// <exception cref="IOException">The log file cannot be created or opened.</exception>
    public RelayLog(string name, RelayLogOptions options, TextWriter? console = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        Options = options;
        _time = time ?? TimeProvider.System;
        _dateFormat = new StrftimeFormat(options.DateFormat);
        _keys = options.LogKeys is null ? null : new HashSet<string>(options.LogKeys, StringComparer.Ordinal);
        _console = options.EnableConsoleLog ? console ?? Console.Error : null;
        if (options.EnableFileLog)
        {
            _file = new RotatingLogFile(Path.Combine(options.LogFilePath, FileName(name)), options.MaxFileSize, options.BackupCount);
        }
    }

    private RelayLog(string name, RelayLogOptions options, ILogger logger, TimeProvider? time)
        : this(name, options with { EnableConsoleLog = false }, console: null, time)
    {
        _logger = logger;
    }

    /// <summary>
    /// Creates a log whose records go to <paramref name="logger"/> (the app's logging) instead of the console, their
    /// fields filtered by <c>log_keys</c> as ever; the file, when on, is written too.
    /// </summary>
    /// <param name="name">The logger name written in file records; the file is named after it.</param>
    /// <param name="options">The configuration (its <c>enable_console_log</c> is not used).</param>
    /// <param name="logger">Where records go, each a message with its fields as structured state.</param>
    /// <param name="time">The clock for file timestamps.</param>
    /// <exception cref="IOException">The log file cannot be created or opened.</exception>
    public static RelayLog ToLogger(string name, RelayLogOptions options, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        return new RelayLog(name, options, logger, time);
    }

    /// <summary>The logger name.</summary>
    public string Name { get; }

    /// <summary>The configuration.</summary>
    public RelayLogOptions Options { get; }

    /// <summary>The full path of the current log file; null when file logging is off.</summary>
    public string? FilePath => _file?.Path;

    /// <summary>
    /// The file name for a logger name: <c>.</c>, <c>:</c> and characters not allowed in file names become <c>_</c>,
    /// and <c>.log</c> is appended (<c>synapse.relay</c> → <c>synapse_relay.log</c>).
    /// </summary>
    public static string FileName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var invalid = Path.GetInvalidFileNameChars();
        var file = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            file.Append(c is '.' or ':' or '/' or '\\' || Array.IndexOf(invalid, c) >= 0 ? '_' : c);
        }

        return file.Append(".log").ToString();
    }

    /// <summary>Whether records of this level are written: at or above <c>log_level</c>, with a sink enabled.</summary>
    public bool IsEnabled(RelayLogLevel level) =>
        level >= Options.LogLevel && (_console is not null || _file is not null || _logger?.IsEnabled(ToLogLevel(level)) == true) && !_disposed;

    /// <summary>Writes a record: a message and its metadata fields (filtered by <c>log_keys</c>).</summary>
    public void Write(RelayLogLevel level, string message, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(fields);
        if (!IsEnabled(level))
        {
            return;
        }

        var kept = Filter(fields);
        _logger?.Log(ToLogLevel(level), default, new RelayLogState(message, kept), null, static (state, _) => state.ToString());
        if (_console is null && _file is null)
        {
            return;
        }

        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            var timestamp = _dateFormat.Format(_time.GetLocalNow());
            var text = _console is not null || (_file is not null && !Options.EnableJsonLog)
                ? RelayLogRecord.Text(timestamp, Name, level, message, kept)
                : null;
            _console?.WriteLine(text);
            if (_file is not null)
            {
                WriteFile(Options.EnableJsonLog
                    ? RelayLogRecord.Json(timestamp, Name, level, message, kept)
                    : Encoding.UTF8.GetBytes(text + "\n"));
            }
        }
    }

    /// <summary>Flushes the console and closes the file; later records are ignored.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _console?.Flush();
            _file?.Dispose();
        }
    }

    private static LogLevel ToLogLevel(RelayLogLevel level) => level switch
    {
        RelayLogLevel.Debug => LogLevel.Debug,
        RelayLogLevel.Info => LogLevel.Information,
        RelayLogLevel.Warning => LogLevel.Warning,
        RelayLogLevel.Error => LogLevel.Error,
        _ => LogLevel.Critical,
    };

    private IReadOnlyList<KeyValuePair<string, object?>> Filter(IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        if (_keys is null)
        {
            return fields;
        }

        var kept = new List<KeyValuePair<string, object?>>(fields.Count);
        foreach (var field in fields)
        {
            if (_keys.Contains(field.Key))
            {
                kept.Add(field);
            }
        }

        return kept;
    }

    private void WriteFile(byte[] record)
    {
        try
        {
            _file!.Write(record);
        }
        catch (IOException)
        {
            // Disk full or the file went away: drop this record rather than fail the relay.
        }
    }
}
