using System.Net;

namespace Synapse.Relay.Summoner;

/// <summary>Configuration of a <see cref="SummonerRelayClient"/>.</summary>
public sealed class SummonerRelayClientOptions
{
    /// <summary>The relays in order of preference (a <see cref="DnsEndPoint"/> or an <see cref="IPEndPoint"/>); the next is tried on failure.</summary>
    public required IReadOnlyList<EndPoint> Relays { get; init; }

    /// <summary>Reconnection delays, failover along <see cref="Relays"/>, and the retry budget.</summary>
    public ReconnectBackoffOptions Backoff { get; init; } = new();

    /// <summary>The longest line accepted from a relay, without its newline; a longer one is dropped and logged. Default 1 MiB.</summary>
    public int MaxLineBytes { get; init; } = 1024 * 1024;

    /// <summary>How many lines may wait to be written while disconnected; beyond it sends fail. Default 1000.</summary>
    public int SendQueueCapacity { get; init; } = 1000;

    /// <summary>How long a connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>_version</c> written on each line.</summary>
    public string Version { get; init; } = SummonerWire.DefaultVersion;

    /// <summary>The clock of the backoff.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (Relays is null || Relays.Count == 0)
        {
            throw new ArgumentException("At least one relay is needed.", nameof(Relays));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineBytes, 16, nameof(MaxLineBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendQueueCapacity, 1, nameof(SendQueueCapacity));
        ArgumentNullException.ThrowIfNull(Version, nameof(Version));
    }
}

/// <summary>The send queue of a <see cref="SummonerRelayClient"/> is full (the relay has been unreachable for a while).</summary>
public sealed class SummonerSendQueueFullException(int capacity)
    : InvalidOperationException($"The Summoner send queue is full ({capacity} lines waiting for a relay).")
{
    /// <summary>The queue's capacity.</summary>
    public int Capacity { get; } = capacity;
}
