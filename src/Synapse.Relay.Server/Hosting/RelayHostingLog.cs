using Microsoft.Extensions.Logging;

namespace Synapse.Relay.Hosting;

/// <summary>What the hosted relay logs beside the relay's own records (event ids 850–859).</summary>
internal static partial class RelayHostingLog
{
    [LoggerMessage(850, LogLevel.Critical, "The relay could not start: {Reason}")]
    public static partial void FailedToStart(ILogger logger, Exception error, string reason);
}
