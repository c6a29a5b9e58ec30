using System.Net;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay.Outbox;
using Synapse.Transport;

namespace Synapse.Relay.Client;

/// <summary>A relay an agent may connect to, optionally pinned to the relay's agent id.</summary>
/// <param name="EndPoint">Where the relay listens.</param>
/// <param name="ExpectedId">When set, a relay that proves another id is refused.</param>
public sealed record RelayEndpoint(EndPoint EndPoint, AgentId? ExpectedId = null);

/// <summary>Configuration of an agent's relay connection.</summary>
public sealed record RelayClientOptions
{
    /// <summary>The relays, in order of preference: the first that answers is used; the next on failure.</summary>
    public required IReadOnlyList<RelayEndpoint> Relays { get; init; }

    /// <summary>Reconnection delays and failover between relays.</summary>
    public ReconnectBackoffOptions Backoff { get; init; } = new();

    /// <summary>
    /// Opens the store of the outbox and of the record of received message ids, with <see cref="OutboxLimits"/>; the
    /// client owns it and closes it when disposed. When null both live in memory: unacknowledged messages are then
    /// lost if the process ends. For a durable store, <c>SqliteRelayStore.In("data/")</c> (package Synapse.Storage.Sqlite).
    /// </summary>
    public Func<OutboxLimits, IRelayStore>? OpenStore { get; init; }

    /// <summary>Bounds of the outbox.</summary>
    public OutboxLimits OutboxLimits { get; init; } = new();

    /// <summary>How envelopes are checked when opened; the age window must cover how long mail may wait at a relay.</summary>
    public EnvelopeOpenerOptions Opener { get; init; } = new() { MaxAge = TimeSpan.FromDays(1) };

    /// <summary>How long a connection attempt, handshake included, may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait before sending again a message the relay refused with "retry".</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Opens the connections.</summary>
    public ITransportConnector Connector { get; init; } = TcpTransport.Instance;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>A message received through a relay, opened and verified.</summary>
public sealed class RelayMessage
{
    private RelayMessage(RelayMessage message, ReadOnlyMemory<byte> payload)
    {
        Sender = message.Sender;
        Room = message.Room;
        MessageId = message.MessageId;
        Timestamp = message.Timestamp;
        Payload = payload;
    }

    internal RelayMessage(OpenedEnvelope envelope, ReadOnlyMemory<byte> payload)
    {
        Sender = envelope.Sender;
        Room = envelope.Recipient.IsTopic ? envelope.Recipient.Topic : null;
        MessageId = envelope.MessageId;
        Timestamp = envelope.Timestamp;
        Payload = payload;
    }

    /// <summary>Who sent it (proven by the envelope's signature).</summary>
    public AgentId Sender { get; }

    /// <summary>The room it was published to, or null for a direct message.</summary>
    public string? Room { get; }

    /// <summary>The sender's message id.</summary>
    public Guid MessageId { get; }

    /// <summary>When the sender sealed it.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The decrypted payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The same message with another payload (a transport layer's unwrapped content).</summary>
    internal RelayMessage WithPayload(ReadOnlyMemory<byte> payload) => new(this, payload);

    /// <inheritdoc />
    public override string ToString() => $"RelayMessage({MessageId} from {Sender}{(Room is null ? "" : $" in {Room}")}, {Payload.Length} bytes)";
}

/// <summary>A relay refused a message, or a room join, for good.</summary>
public sealed class RelayRefusedException : Exception
{
    /// <summary>A refused message.</summary>
    /// <param name="messageId">The message.</param>
    /// <param name="code">The relay's code.</param>
    /// <param name="message">The relay's explanation.</param>
    public RelayRefusedException(Guid messageId, string code, string message)
        : base($"the relay refused message {messageId}: {code}: {message}")
    {
        MessageId = messageId;
        Code = code;
    }

    private RelayRefusedException(string room, string code, string message)
        : base($"the relay refused to join room '{room}': {code}: {message}")
    {
        Room = room;
        Code = code;
    }

    /// <summary>The refused message (empty for a refused join).</summary>
    public Guid MessageId { get; }

    /// <summary>The room the relay refused to join (null for a refused message).</summary>
    public string? Room { get; }

    /// <summary>The relay's code (e.g. <c>not_a_member</c>, <c>expired</c>, <c>too_many_rooms</c>).</summary>
    public string Code { get; }

    /// <summary>A refused join of <paramref name="room"/>.</summary>
    internal static RelayRefusedException Join(string room, string code, string message) => new(room, code, message);
}
