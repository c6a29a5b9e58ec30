using System.Net;
using Microsoft.Extensions.Logging;

namespace Synapse.Relay;

/// <summary>
/// The log lines of <see cref="ReconnectLoop{TLink}"/> (event ids 700–799), written to the logger of the client that runs
/// the loop; <c>client</c> is <see cref="ReconnectLoopOptions.Name"/>.
/// </summary>
internal static partial class ReconnectLog
{
    [LoggerMessage(700, LogLevel.Warning, "{Client}: attempt {Attempt} on {Relay} failed: {Reason}")]
    public static partial void AttemptFailed(ILogger logger, string client, int attempt, EndPoint relay, string reason);

    [LoggerMessage(701, LogLevel.Error, "{Client}: attempt {Attempt} on {Relay} failed unexpectedly; retrying")]
    public static partial void AttemptCrashed(ILogger logger, Exception exception, string client, int attempt, EndPoint relay);

    [LoggerMessage(702, LogLevel.Error, "{Client}: the link to {Relay} failed unexpectedly")]
    public static partial void LinkCrashed(ILogger logger, Exception exception, string client, EndPoint relay);

    [LoggerMessage(703, LogLevel.Warning, "{Client}: lost {Relay}.")]
    public static partial void Lost(ILogger logger, string client, EndPoint relay);

    [LoggerMessage(704, LogLevel.Error, "{Client}: every relay failed and the retry budget is spent; giving up.")]
    public static partial void GaveUp(ILogger logger, string client);
}
