using System.Net;
using Microsoft.Extensions.Logging;
using Synapse.Scheduling;

namespace Synapse.Hosting;

/// <summary>The log lines of <see cref="AgentHost"/> and its connections (event ids 1–99; 6 is <see cref="Rpc.RpcLog"/>).</summary>
internal static partial class HostLog
{
    [LoggerMessage(1, LogLevel.Information, "Agent {Agent} listening on {EndPoint} with {EndpointCount} endpoints")]
    public static partial void Listening(ILogger logger, string agent, EndPoint endPoint, int endpointCount);

    [LoggerMessage(2, LogLevel.Information, "Agent {Agent} stopped")]
    public static partial void Stopped(ILogger logger, string agent);

    [LoggerMessage(3, LogLevel.Warning, "Refused connection from {Remote}: {Count} connections open (limit {Limit})")]
    public static partial void ConnectionLimit(ILogger logger, EndPoint? remote, int count, int limit);

    [LoggerMessage(4, LogLevel.Warning, "Closing connection from {Remote}: {Reason}")]
    public static partial void ConnectionRejected(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(5, LogLevel.Debug, "Connection from {Remote} closed after {Idle} idle")]
    public static partial void IdleTimeout(ILogger logger, EndPoint? remote, TimeSpan idle);

    // Event 6 (an endpoint failed) is RpcLog.EndpointFailed, written by the call executor.

    [LoggerMessage(7, LogLevel.Debug, "Bad request from {Remote}: {Reason}")]
    public static partial void BadRequest(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(8, LogLevel.Error, "Background job {Job} failed; next run at {Next:O}")]
    public static partial void BackgroundJobFailed(ILogger logger, Exception exception, string job, DateTimeOffset? next);

    [LoggerMessage(9, LogLevel.Warning, "Stop: {Count} calls still running after the drain timeout; cancelling them")]
    public static partial void DrainTimedOut(ILogger logger, int count);

    [LoggerMessage(10, LogLevel.Error, "Connection from {Remote} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, EndPoint? remote);

    [LoggerMessage(11, LogLevel.Warning, "Stop: background jobs ignored cancellation for {Timeout}; leaving them behind")]
    public static partial void BackgroundJobsOutlivedStop(ILogger logger, TimeSpan timeout);

    [LoggerMessage(12, LogLevel.Warning, "Shed connection from {Remote}: the oldest of {Limit} connections that have sent no request and finished no handshake (MaxPendingConnections)")]
    public static partial void ConnectionShed(ILogger logger, EndPoint? remote, int limit);

    [LoggerMessage(13, LogLevel.Debug, "Connection from {Remote} closed: nothing received within {Timeout} (HandshakeTimeout)")]
    public static partial void FirstBytesTimeout(ILogger logger, EndPoint? remote, TimeSpan timeout);

    [LoggerMessage(14, LogLevel.Warning, "Closing connection from {Remote}: its incomplete frame of {Bytes} bytes would take what all connections hold in incomplete frames past {Limit} bytes ({Held} held) (MaxPartialFrameBytes)")]
    public static partial void PartialFramesFull(ILogger logger, EndPoint? remote, long bytes, long held, long limit);

    [LoggerMessage(15, LogLevel.Debug, "Background job {Job} next runs at {Next:O} ({Schedule})")]
    public static partial void BackgroundJobScheduled(ILogger logger, string job, DateTimeOffset next, Schedule schedule);

    [LoggerMessage(16, LogLevel.Warning, "Background job {Job} will not run again: {Schedule} has no time after {After:O}")]
    public static partial void BackgroundJobEnded(ILogger logger, string job, Schedule schedule, DateTimeOffset after);
}
