using System.Net;
using Microsoft.Extensions.Logging;

namespace Synapse.Relay;

/// <summary>The log lines of <see cref="ReconnectLoop{TLink}"/>; <c>client</c> is <see cref="ReconnectLoopOptions.Name"/>.</summary>
internal static partial class ReconnectLog
{
    [LoggerMessage(1, LogLevel.Warning, "{Client}: attempt {Attempt} on {Relay} failed: {Reason}")]
    public static partial void AttemptFailed(ILogger logger, string client, int attempt, EndPoint relay, string reason);

    [LoggerMessage(2, LogLevel.Error, "{Client}: attempt {Attempt} on {Relay} failed unexpectedly; retrying")]
    public static partial void AttemptCrashed(ILogger logger, Exception exception, string client, int attempt, EndPoint relay);

    [LoggerMessage(3, LogLevel.Error, "{Client}: the link to {Relay} failed unexpectedly")]
    public static partial void LinkCrashed(ILogger logger, Exception exception, string client, EndPoint relay);

    [LoggerMessage(4, LogLevel.Warning, "{Client}: lost {Relay}.")]
    public static partial void Lost(ILogger logger, string client, EndPoint relay);

    [LoggerMessage(5, LogLevel.Error, "{Client}: every relay failed and the retry budget is spent; giving up.")]
    public static partial void GaveUp(ILogger logger, string client);
}
