using Microsoft.Extensions.Logging;

namespace Synapse.Flows;

/// <summary>The log lines of <see cref="FlowRunner{TAgent}"/> (event ids 400–499).</summary>
internal static partial class FlowLog
{
    [LoggerMessage(400, LogLevel.Error, "Flow: {Handler} failed; the flow goes on.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string handler);

    [LoggerMessage(401, LogLevel.Error, "Flow: sending a message from {Sender} failed.")]
    public static partial void SendFailed(ILogger logger, Exception exception, string sender);
}
