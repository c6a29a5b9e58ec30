using Microsoft.Extensions.Logging;

namespace Synapse.Swarm;

/// <summary>The log lines of <see cref="SwarmNode"/> (event ids 300–399).</summary>
internal static partial class SwarmLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Swarm call {Endpoint} to {Peer} failed")]
    public static partial void CallFailed(ILogger logger, Exception exception, string endpoint, string peer);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Swarm task for broadcast {Nonce} failed")]
    public static partial void TaskFailed(ILogger logger, Exception exception, string nonce);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Swarm LAN discovery (mDNS) failed; the node goes on without it")]
    public static partial void LanFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Compacting conversation {Conversation} failed; it stays as it was")]
    public static partial void CompactionFailed(ILogger logger, Exception exception, string conversation);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "A handler of the swarm hook {Hook} failed; the node goes on")]
    public static partial void HookFailed(ILogger logger, Exception exception, string hook);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Team event {Kind} for task {Task} could not be sent")]
    public static partial void TeamEventFailed(ILogger logger, Exception exception, string kind, string task);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "Team task {Task} offered again (attempt {Attempt}): no activity within the lease")]
    public static partial void TaskReoffered(ILogger logger, string task, int attempt);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "Team task {Task} failed on this worker (attempt {Attempt})")]
    public static partial void WorkerTaskFailed(ILogger logger, Exception exception, string task, int attempt);
}
