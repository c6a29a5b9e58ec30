using System.Net;
using Microsoft.Extensions.Logging;

namespace Synapse.Hosting;

/// <summary>What the hosting package logs (event ids 800–899).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(800, LogLevel.Information, "Agent {Name} started on {EndPoint} as {AgentId}")]
    public static partial void AgentStarted(ILogger logger, string name, EndPoint endPoint, string agentId);

    [LoggerMessage(801, LogLevel.Critical, "Agent {Name} could not start: {Reason}")]
    public static partial void AgentFailedToStart(ILogger logger, Exception error, string name, string reason);

    [LoggerMessage(802, LogLevel.Information, "Agent {Name} stopped")]
    public static partial void AgentStopped(ILogger logger, string name);

    [LoggerMessage(803, LogLevel.Information, "Relay client {Name} started as {AgentId}")]
    public static partial void RelayClientStarted(ILogger logger, string name, string agentId);

    [LoggerMessage(804, LogLevel.Information, "Relay client {Name} stopped")]
    public static partial void RelayClientStopped(ILogger logger, string name);
}
