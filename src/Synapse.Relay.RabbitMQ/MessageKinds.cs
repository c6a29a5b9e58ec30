using System.Text;
using RabbitMQ.Client;

namespace Synapse.Relay.RabbitMQ;

/// <summary>The <c>type</c> property of what relays publish, and the headers they read back.</summary>
internal static class MessageKinds
{
    public const string Direct = "synapse.direct";
    public const string Room = "synapse.room";
    public const string Card = "synapse.card";
    public const string Sync = "synapse.sync";

    public const string SenderHeader = "sender";
    public const string OriginHeader = "origin";
    public const string RoomHeader = "room";

    /// <summary>A string header (the client reads AMQP long strings back as bytes).</summary>
    public static string? Header(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers is { } headers && headers.TryGetValue(name, out var value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                _ => null,
            }
            : null;

    /// <summary>
    /// A direct message the broker dead-lettered because it outlived its mailbox's time-to-live: its recipient (from the
    /// mailbox it left), its sender and its id; <c>null</c> for anything else.
    /// </summary>
    public static (string Recipient, string Sender, Guid MessageId)? ExpiredDirect(IReadOnlyBasicProperties properties, string mailboxPrefix)
    {
        if (properties.Type != Direct || Header(properties, "x-first-death-reason") != "expired"
            || Header(properties, "x-first-death-queue") is not { } queue || !queue.StartsWith(mailboxPrefix, StringComparison.Ordinal)
            || Header(properties, SenderHeader) is not { } sender || !Guid.TryParseExact(properties.MessageId, "N", out var messageId))
        {
            return null;
        }

        return (queue[mailboxPrefix.Length..], sender, messageId);
    }

    /// <summary>Persistent properties of a given type, with headers.</summary>
    public static BasicProperties Persistent(string type, string? messageId, params (string Key, string Value)[] headers)
    {
        var properties = new BasicProperties { Persistent = true, Type = type, MessageId = messageId };
        if (headers.Length > 0)
        {
            properties.Headers = headers.ToDictionary(header => header.Key, header => (object?)header.Value, StringComparer.Ordinal);
        }

        return properties;
    }
}
