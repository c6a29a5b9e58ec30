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
}
