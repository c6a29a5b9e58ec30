using System.Net;
using Microsoft.Extensions.Logging;
using Synapse.Discovery;
using Synapse.Envelopes;
using Synapse.Identity;

namespace Synapse.Relay.Client;

/// <summary>The log lines of <see cref="RelayClient"/> (event ids 500–599; its reconnect loop logs <see cref="ReconnectLog"/>).</summary>
internal static partial class RelayClientLog
{
    [LoggerMessage(500, LogLevel.Warning, "Relay connection: {Relay} does not speak secure links.")]
    public static partial void NotSecure(ILogger logger, EndPoint relay);

    [LoggerMessage(501, LogLevel.Information, "Relay connection: connected to {Relay} ({RelayId}); {Pending} message(s) resent.")]
    public static partial void Connected(ILogger logger, EndPoint relay, string? relayId, int pending);

    [LoggerMessage(502, LogLevel.Warning, "Relay connection: message {MessageId} refused: {Code}: {Message}")]
    public static partial void Refused(ILogger logger, Guid messageId, string code, string message);

    [LoggerMessage(503, LogLevel.Warning, "Relay connection: notice {Code}: {Message}")]
    public static partial void Notice(ILogger logger, string code, string message);

    [LoggerMessage(504, LogLevel.Warning, "Relay connection: dropped envelope {MessageId}: {Reason}: {Message}")]
    public static partial void EnvelopeDropped(ILogger logger, Guid messageId, EnvelopeError reason, string message);

    [LoggerMessage(505, LogLevel.Error, "Relay connection: a handler failed on {Message}; carrying on.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, RelayMessage message);

    [LoggerMessage(506, LogLevel.Warning, "Relay connection: dropped a room key from {Sender}: {Reason}")]
    public static partial void RoomKeyDropped(ILogger logger, AgentId sender, string reason);

    [LoggerMessage(507, LogLevel.Error, "Relay connection: a room invitation handler failed; carrying on.")]
    public static partial void InvitationHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(508, LogLevel.Warning, "Discovery: dropped the card of {Agent}: it does not match the query.")]
    public static partial void CardMismatch(ILogger logger, AgentId agent);

    [LoggerMessage(509, LogLevel.Warning, "Discovery: dropped a card from the relay: {Reason}: {Message}")]
    public static partial void CardDropped(ILogger logger, AgentCardError reason, string message);

    [LoggerMessage(510, LogLevel.Warning, "Relay connection: joining room {Room} refused: {Code}: {Message}")]
    public static partial void JoinRefused(ILogger logger, string room, string code, string message);
}
