using Microsoft.Extensions.Logging;

namespace Synapse.Rpc;

/// <summary>The call executor's log messages (written to the host's logger).</summary>
internal static partial class RpcLog
{
    [LoggerMessage(6, LogLevel.Error, "Endpoint {Endpoint} failed")]
    public static partial void EndpointFailed(ILogger logger, Exception exception, string endpoint);
}
