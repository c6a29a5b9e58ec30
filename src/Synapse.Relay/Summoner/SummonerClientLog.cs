using System.Net;
using Microsoft.Extensions.Logging;

namespace Synapse.Relay.Summoner;

/// <summary>The log lines of <see cref="SummonerRelayClient"/> (event ids 600–699; its reconnect loop logs <see cref="ReconnectLog"/>).</summary>
internal static partial class SummonerClientLog
{
    [LoggerMessage(600, LogLevel.Information, "Summoner client: connected to {Relay}; {Queued} line(s) queued.")]
    public static partial void Connected(ILogger logger, EndPoint relay, int queued);

    [LoggerMessage(601, LogLevel.Warning, "Summoner client: dropped a relayed line of {Length} bytes (limit {Limit}).")]
    public static partial void LineOversized(ILogger logger, long length, int limit);

    [LoggerMessage(602, LogLevel.Debug, "Summoner client: connection ended: {Reason}")]
    public static partial void ConnectionEnded(ILogger logger, string reason);

    [LoggerMessage(603, LogLevel.Debug, "Summoner client: ignored a line that is neither a relayed message nor a notice ({Length} bytes).")]
    public static partial void LineIgnored(ILogger logger, long length);

    [LoggerMessage(604, LogLevel.Information, "Summoner client: notice from the relay: {Notice}")]
    public static partial void Notice(ILogger logger, string notice);

    [LoggerMessage(605, LogLevel.Error, "Summoner client: a message handler failed on {Message}; carrying on.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, SummonerMessage message);
}
