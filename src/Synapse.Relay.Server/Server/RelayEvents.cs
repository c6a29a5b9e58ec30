using System.Net;
using Synapse.Identity;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;

namespace Synapse.Relay.Server;

/// <summary>Counters of what a relay did since it started.</summary>
public sealed class RelayStatistics
{
    internal long ConnectionsValue;
    internal long RoutedValue;
    internal long DeliveredValue;
    internal long RefusedValue;
    internal long ThrottledValue;
    internal long FlowControlledValue;
    internal long QuarantinedValue;
    internal long RefusedConnectionsValue;
    internal long BackplaneHandedOverValue;
    internal long BackplaneRefusedValue;
    internal long BackplaneReceivedValue;
    internal int BackplaneStateValue; // 0: no backplane, 1: available, 2: unavailable

    /// <summary>Connections accepted (agents and Summoner clients).</summary>
    public long Connections => Interlocked.Read(ref ConnectionsValue);

    /// <summary>Envelopes routed (direct messages stored for delivery, room messages fanned out) and Summoner lines relayed.</summary>
    public long Routed => Interlocked.Read(ref RoutedValue);

    /// <summary>Direct messages confirmed by their recipients.</summary>
    public long Delivered => Interlocked.Read(ref DeliveredValue);

    /// <summary>Envelopes refused (rate limit, full mailbox, forged sender, malformed).</summary>
    public long Refused => Interlocked.Read(ref RefusedValue);

    /// <summary>Times a sender was throttled.</summary>
    public long Throttled => Interlocked.Read(ref ThrottledValue);

    /// <summary>Times a sender was flow-controlled.</summary>
    public long FlowControlled => Interlocked.Read(ref FlowControlledValue);

    /// <summary>Links disconnected and quarantined.</summary>
    public long Quarantined => Interlocked.Read(ref QuarantinedValue);

    /// <summary>Connections refused before registration (quarantine, limits, failed handshakes).</summary>
    public long RefusedConnections => Interlocked.Read(ref RefusedConnectionsValue);

    /// <summary>Direct and room messages the backplane's broker took (confirmed).</summary>
    public long BackplaneHandedOver => Interlocked.Read(ref BackplaneHandedOverValue);

    /// <summary>Messages the backplane could not take (its broker unreachable, full, or failing).</summary>
    public long BackplaneRefused => Interlocked.Read(ref BackplaneRefusedValue);

    /// <summary>Room messages other relays sent through the backplane for members here.</summary>
    public long BackplaneReceived => Interlocked.Read(ref BackplaneReceivedValue);

    /// <summary>Whether the backplane reaches its broker now; null for a relay without a backplane.</summary>
    public bool? BackplaneAvailable => Volatile.Read(ref BackplaneStateValue) switch
    {
        1 => true,
        2 => false,
        _ => null,
    };
}

/// <summary>
/// The relay's log records and counters. Records carry routing metadata only (ids, rooms, sizes, addresses):
/// the relay never has a payload to log. <c>log_keys</c> filters these fields.
/// </summary>
internal sealed class RelayEvents(RelayLog log) : IDisposable
{
    public RelayStatistics Statistics { get; } = new();

    public void Started(IPEndPoint endPoint, AgentId id, IPEndPoint? summoner) =>
        Write(RelayLogLevel.Info, "relay started", ("address", endPoint.ToString()), ("relay_id", id.ToString()), ("summoner_address", summoner?.ToString()));

    public void Stopped() => Write(RelayLogLevel.Info, "relay stopped");

    public void Connected(RelayLink link)
    {
        Interlocked.Increment(ref Statistics.ConnectionsValue);
        Write(RelayLogLevel.Info, "connected", ("agent", link.Identity), ("remote_addr", link.RemoteAddress));
    }

    public void Disconnected(RelayLink link) =>
        Write(RelayLogLevel.Info, "disconnected", ("agent", link.Identity), ("remote_addr", link.RemoteAddress));

    public void Replaced(RelayLink link) =>
        Write(RelayLogLevel.Info, "link replaced by a newer one", ("agent", link.Identity), ("remote_addr", link.RemoteAddress));

    public void RefusedConnection(EndPoint? remote, string reason)
    {
        Interlocked.Increment(ref Statistics.RefusedConnectionsValue);
        Write(RelayLogLevel.Warning, "connection refused", ("remote_addr", remote?.ToString()), ("reason", reason));
    }

    public void AcceptFailed(string reason) => Write(RelayLogLevel.Error, "accept failed", ("reason", reason));

    public void AdmissionFailed(EndPoint? remote, Exception error) =>
        Write(RelayLogLevel.Error, "admission failed", ("remote_addr", remote?.ToString()), ("error", $"{error.GetType().Name}: {error.Message}"));

    public void LinkFailed(RelayLink link, Exception error) =>
        Write(RelayLogLevel.Error, "link failed", ("agent", link.Identity), ("remote_addr", link.RemoteAddress), ("error", $"{error.GetType().Name}: {error.Message}"));

    public void Routed(RelayLink sender, Guid messageId, string? recipient, string? room, int size, bool online)
    {
        Interlocked.Increment(ref Statistics.RoutedValue);
        if (log.IsEnabled(RelayLogLevel.Debug))
        {
            Write(RelayLogLevel.Debug, "routed", ("from", sender.Identity), ("to", recipient), ("room", room),
                ("message_id", messageId.ToString()), ("size", size), ("online", online));
        }
    }

    public void Relayed(RelayLink sender, int size, int recipients)
    {
        Interlocked.Increment(ref Statistics.RoutedValue);
        if (log.IsEnabled(RelayLogLevel.Debug))
        {
            Write(RelayLogLevel.Debug, "relayed line", ("remote_addr", sender.RemoteAddress), ("size", size), ("recipients", recipients));
        }
    }

    public void Duplicate(RelayLink sender, Guid messageId) =>
        Write(RelayLogLevel.Debug, "duplicate ignored", ("from", sender.Identity), ("message_id", messageId.ToString()));

    public void Delivered(RelayLink recipient, Guid messageId, string sender)
    {
        Interlocked.Increment(ref Statistics.DeliveredValue);
        if (log.IsEnabled(RelayLogLevel.Debug))
        {
            Write(RelayLogLevel.Debug, "delivered", ("from", sender), ("to", recipient.Identity), ("message_id", messageId.ToString()));
        }
    }

    public void Expired(string recipient, Guid messageId, string sender) =>
        Write(RelayLogLevel.Info, "expired undelivered", ("from", sender), ("to", recipient), ("message_id", messageId.ToString()));

    public void Refused(RelayLink sender, Guid messageId, string code)
    {
        Interlocked.Increment(ref Statistics.RefusedValue);
        Write(RelayLogLevel.Warning, "message refused", ("from", sender.Identity), ("message_id", messageId.ToString()), ("reason", code));
    }

    public void Backpressure(RelayLink link, BackpressureStage stage)
    {
        Interlocked.Increment(ref stage == BackpressureStage.Throttle ? ref Statistics.ThrottledValue : ref Statistics.FlowControlledValue);
        Write(RelayLogLevel.Warning, stage == BackpressureStage.Throttle ? "throttled" : "flow controlled",
            ("agent", link.Identity), ("remote_addr", link.RemoteAddress), ("queued_messages", link.ContributedMessages), ("queued_bytes", link.ContributedBytes));
    }

    public void Quarantined(RelayLink link, string reason)
    {
        Interlocked.Increment(ref Statistics.QuarantinedValue);
        Write(RelayLogLevel.Warning, "quarantined", ("agent", link.Identity), ("remote_addr", link.RemoteAddress), ("reason", reason));
    }

    public void SlowConsumer(RelayLink link, long queuedBytes) =>
        Write(RelayLogLevel.Warning, "slow consumer disconnected", ("agent", link.Identity), ("remote_addr", link.RemoteAddress), ("queued_bytes", queuedBytes));

    public void WriteStalled(RelayLink link) =>
        Write(RelayLogLevel.Warning, "write stalled; link closed", ("agent", link.Identity), ("remote_addr", link.RemoteAddress));

    public void IdleTimeout(RelayLink link) =>
        Write(RelayLogLevel.Info, "idle timeout", ("agent", link.Identity), ("remote_addr", link.RemoteAddress));

    public void FrameTimeout(RelayLink link, long bytes) =>
        Write(RelayLogLevel.Warning, "frame timeout; link closed", ("agent", link.Identity), ("remote_addr", link.RemoteAddress), ("partial_bytes", bytes));

    public void PartialFramesFull(RelayLink link, long bytes, long held) =>
        Write(RelayLogLevel.Warning, "partial frames over budget; link closed", ("agent", link.Identity), ("remote_addr", link.RemoteAddress),
            ("partial_bytes", bytes), ("held_bytes", held));

    public void ProtocolViolation(RelayLink link, string reason) =>
        Write(RelayLogLevel.Warning, "protocol violation; link closed", ("agent", link.Identity), ("remote_addr", link.RemoteAddress), ("reason", reason));

    public void Backplane(bool available, string detail)
    {
        Volatile.Write(ref Statistics.BackplaneStateValue, available ? 1 : 2);
        Write(available ? RelayLogLevel.Info : RelayLogLevel.Warning, available ? "backplane available" : "backplane unavailable", ("detail", detail));
    }

    public void Dispose() => log.Dispose();

    private void Write(RelayLogLevel level, string message, params (string Key, object? Value)[] fields)
    {
        if (!log.IsEnabled(level))
        {
            return;
        }

        var list = new List<KeyValuePair<string, object?>>(fields.Length);
        foreach (var (key, value) in fields)
        {
            if (value is not null)
            {
                list.Add(new(key, value));
            }
        }

        log.Write(level, message, list);
    }
}
