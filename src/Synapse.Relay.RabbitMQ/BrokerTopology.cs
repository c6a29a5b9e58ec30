using System.Security.Cryptography;
using System.Text;
using Synapse.Relay.Configuration;

namespace Synapse.Relay.RabbitMQ;

/// <summary>
/// The names and arguments of what the backplane declares in the broker. Every relay sharing a prefix must declare
/// them alike: the broker refuses a queue declared again with other arguments.
/// </summary>
internal sealed class BrokerTopology(BackplaneOptions options, MailboxOptions mailbox)
{
    /// <summary>The direct exchange room messages are published to, keyed by <see cref="RoomKey"/>.</summary>
    public string RoomsExchange { get; } = options.Prefix + ".rooms";

    /// <summary>The fanout exchange agent cards and directory sync requests are published to.</summary>
    public string DirectoryExchange { get; } = options.Prefix + ".directory";

    /// <summary>
    /// The fanout exchange mailboxes dead-letter to: a direct message that outlives its time-to-live reaches every
    /// relay, and the one its sender is connected to tells it <c>expired</c>.
    /// </summary>
    public string ExpiredExchange { get; } = options.Prefix + ".expired";

    /// <summary>How many unconfirmed direct messages one agent gets ahead of its confirmations.</summary>
    public ushort MailboxPrefetch { get; } = 256;

    /// <summary>The durable queue holding <paramref name="agent"/>'s direct messages.</summary>
    public string MailboxQueue(string agent) => options.Prefix + ".mailbox." + agent;

    /// <summary>The queue where a relay receives room messages and cards from the other relays.</summary>
    public string RelayQueue(string relayId) => options.Prefix + ".relay." + relayId;

    /// <summary>
    /// A room's routing key: the hex SHA-256 of its name, since a room name may be longer than a routing key allows
    /// (255 bytes) and any character in it must match literally.
    /// </summary>
    public static string RoomKey(string room) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(room)));

    /// <summary>
    /// A mailbox queue's arguments: the relay's mailbox limits (over them the broker refuses the publish, which the
    /// sender hears as <c>mailbox_full</c>), the time-to-live and where expired mail goes (<see cref="ExpiredExchange"/>),
    /// one consumer at a time (the relay the agent is connected to), and removal of a mailbox unused for twice the
    /// time-to-live.
    /// </summary>
    public Dictionary<string, object?> MailboxArguments() => new()
    {
        ["x-max-length"] = (long)mailbox.MaxMessages,
        ["x-max-length-bytes"] = mailbox.MaxBytes,
        ["x-overflow"] = "reject-publish",
        ["x-message-ttl"] = (long)mailbox.TimeToLive.TotalMilliseconds,
        ["x-dead-letter-exchange"] = ExpiredExchange,
        ["x-expires"] = (long)Math.Max(TimeSpan.FromHours(1).TotalMilliseconds, 2 * mailbox.TimeToLive.TotalMilliseconds),
        ["x-single-active-consumer"] = true,
    };

    /// <summary>
    /// A relay queue's arguments: removed ten minutes after its relay went away, and bounded; when full, the broker
    /// refuses new messages (their senders retry) rather than dropping old ones it already confirmed.
    /// </summary>
    public static Dictionary<string, object?> RelayQueueArguments() => new()
    {
        ["x-expires"] = (long)TimeSpan.FromMinutes(10).TotalMilliseconds,
        ["x-max-length"] = 100_000L,
        ["x-overflow"] = "reject-publish",
    };
}
