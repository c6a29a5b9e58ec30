using Microsoft.Extensions.Logging;

namespace Synapse.Tasks;

/// <summary>Log events of long-running tasks (event ids 200–299).</summary>
internal static partial class TaskLog
{
    [LoggerMessage(200, LogLevel.Information, "Task {Task} ({Endpoint}) runs again after a restart: run {Attempt}")]
    public static partial void Resumed(ILogger logger, string task, string endpoint, int attempt);

    [LoggerMessage(201, LogLevel.Debug, "Task {Task} ({Endpoint}) ended {State} {Code}")]
    public static partial void Ended(ILogger logger, string task, string endpoint, string state, string? code);

    [LoggerMessage(202, LogLevel.Error, "The task store failed to save or delete task {Task}; the task goes on in memory")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string task);

    [LoggerMessage(203, LogLevel.Warning, "Stop: {Count} tasks ignored cancellation for {Timeout}; leaving them behind")]
    public static partial void IgnoredStop(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(204, LogLevel.Error, "The stored task {Task} has a damaged result; it is left in the store and not served")]
    public static partial void Damaged(ILogger logger, Exception exception, string task);
}
