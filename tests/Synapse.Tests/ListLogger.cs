using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Synapse.Tests;

/// <summary>One kept log entry.</summary>
internal readonly record struct LogEntry(string Category, EventId EventId, LogLevel Level, string Message, Exception? Exception);

/// <summary>Keeps every log entry, for asserting what a component logged.</summary>
internal sealed class ListLogger(string category = "", ConcurrentQueue<LogEntry>? entries = null) : ILogger
{
    public ConcurrentQueue<LogEntry> Entries { get; } = entries ?? new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue(new LogEntry(category, eventId, logLevel, formatter(state, exception), exception));

    public int Count(LogLevel level, string containing) =>
        Entries.Count(e => e.Level == level && e.Message.Contains(containing, StringComparison.Ordinal));
}

/// <summary>A logger factory whose loggers keep every entry, with its category, in one list.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, Entries);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    /// <summary>How many entries of <paramref name="level"/>, in any category, contain <paramref name="containing"/>.</summary>
    public int Count(LogLevel level, string containing) =>
        Entries.Count(e => e.Level == level && e.Message.Contains(containing, StringComparison.Ordinal));

    /// <summary>How many entries of <paramref name="level"/> in <paramref name="category"/> contain <paramref name="containing"/>.</summary>
    public int Count(string category, LogLevel level, string containing) =>
        Entries.Count(e => e.Category == category && e.Level == level && e.Message.Contains(containing, StringComparison.Ordinal));
}
