using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Synapse.Relay;

/// <summary>What a <see cref="ReconnectLoop{TLink}"/> connects to, how it backs off, and where it logs.</summary>
internal sealed record ReconnectLoopOptions
{
    /// <summary>The client's name at the start of each log line and in the give-up error ("Relay connection", "Summoner client").</summary>
    public required string Name { get; init; }

    /// <summary>The relays in order of preference; the backoff's endpoint index points into this list.</summary>
    public required IReadOnlyList<EndPoint> Endpoints { get; init; }

    /// <summary>Delays, failover and the retry budget.</summary>
    public ReconnectBackoffOptions Backoff { get; init; } = new();

    /// <summary>How long one attempt may take; the token handed to <see cref="ReconnectSteps{TLink}.ConnectAsync"/> is cancelled after it.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock of the back-off waits and of a connection's health.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where attempts, losses and giving up are logged.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// Which exceptions from an attempt are ordinary connection failures, logged as a warning with their message;
    /// any other is logged as an error with its stack. Either way the loop backs off and tries again.
    /// </summary>
    public Func<Exception, bool> IsConnectFailure { get; init; } = static e => e is IOException or SocketException or OperationCanceledException;
}

/// <summary>
/// What a client does at each step of a <see cref="ReconnectLoop{TLink}"/>: the protocol-specific part of reconnecting.
/// </summary>
/// <typeparam name="TLink">One live connection to a relay.</typeparam>
internal sealed record ReconnectSteps<TLink>
    where TLink : class
{
    /// <summary>
    /// Connects once to the relay at the endpoint index (handshake included); the token is cancelled on timeout or stop.
    /// Returns null for a failure it has already logged; throws for any other (the loop logs it).
    /// </summary>
    public required Func<int, CancellationToken, Task<TLink?>> ConnectAsync { get; init; }

    /// <summary>
    /// Runs once a link is up, before waiters learn of it: make it current, join rooms again, hand it the outbox.
    /// </summary>
    public Action<TLink, int>? Connected { get; init; }

    /// <summary>Reads and writes until the link drops or the token (stop) is cancelled, and releases the link.</summary>
    public required Func<TLink, CancellationToken, Task> RunAsync { get; init; }

    /// <summary>Runs once a link has ended (waiters already wait for the next one): forget it, fail what was in flight on it.</summary>
    public Action<TLink>? Disconnected { get; init; }

    /// <summary>Runs when the retry budget is spent, before waiters learn of it.</summary>
    public Action? GaveUp { get; init; }
}
