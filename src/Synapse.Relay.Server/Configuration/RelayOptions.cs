using Synapse.Relay.Logging;

namespace Synapse.Relay.Configuration;

/// <summary>
/// Configuration of a <see cref="Server.RelayServer"/>. The defaults are Summoner's Rust server defaults where Summoner
/// has the setting; <see cref="RelayConfiguration"/> reads them from a Summoner-style JSON file.
/// </summary>
public sealed record RelayOptions
{
    /// <summary>The address to listen on (<c>host</c>); <c>0.0.0.0</c> listens on every interface.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port for agents' secure links (<c>port</c>); 0 picks a free one.</summary>
    public int Port { get; init; } = 8888;

    /// <summary>Summoner's backend selector (<c>version</c>); kept for compatibility and otherwise unused.</summary>
    public string? Version { get; init; }

    /// <summary>The relay's log (<c>logger</c>).</summary>
    public RelayLogOptions Logger { get; init; } = new();

    /// <summary>Messages an identity may send per minute (<c>rate_limit_msgs_per_minute</c>), enforced as a token bucket.</summary>
    public int RateLimitMessagesPerMinute { get; init; } = 300;

    /// <summary>
    /// How long a connection may stay silent between frames before it is closed (<c>client_timeout_secs</c>); null for
    /// never. It also caps <see cref="FrameTimeout"/>: no frame may take longer than a link may stay silent.
    /// </summary>
    public TimeSpan? ClientTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// How long a frame (or a Summoner line) may take from its first byte to its last (<c>frame_timeout_secs</c>),
    /// counted from that first byte so that trickling bytes cannot extend it; a link that misses it is closed with
    /// <c>frame_timeout</c>. The shorter of this and <see cref="ClientTimeout"/> applies.
    /// </summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most bytes all links together may hold in frames and Summoner lines they have begun but not finished
    /// (<c>max_partial_frame_bytes</c>). A link whose partial frame would take the total past it is closed with
    /// <c>relay_busy</c> (its client reconnects and sends again), so slow senders cannot pin memory in proportion to
    /// the number of connections. At least <see cref="MaxFrameBytes"/> + 4 and the Summoner line limit.
    /// </summary>
    public long MaxPartialFrameBytes { get; init; } = 256L << 20;

    /// <summary>
    /// The most rooms one link may be a member of at once (<c>max_rooms_per_link</c>); a join beyond it is refused with
    /// <c>nack too_many_rooms</c>.
    /// </summary>
    public int MaxRoomsPerLink { get; init; } = 1000;

    /// <summary>The pause after a failed accept (<c>accept_error_backoff_ms</c>).</summary>
    public TimeSpan AcceptErrorBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long an offender stays quarantined (<c>quarantine_cooldown_secs</c>).</summary>
    public TimeSpan QuarantineCooldown { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How often expired quarantine entries are purged (<c>quarantine_cleanup_interval_secs</c>).</summary>
    public TimeSpan QuarantineCleanupInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether quarantine also covers the offender's IP address (<c>quarantine_by_address</c>), not only its identity.
    /// Turn it off behind a NAT or proxy that many agents share.
    /// </summary>
    public bool QuarantineByAddress { get; init; } = true;

    /// <summary>The pause before reading on from a throttled sender (<c>throttle_delay_ms</c>).</summary>
    public TimeSpan ThrottleDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest a flow-controlled sender waits for queues to drain before it is checked again (<c>flow_control_delay_ms</c>).</summary>
    public TimeSpan FlowControlDelay { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>The three backpressure stages (<c>backpressure_policy</c>).</summary>
    public BackpressurePolicy Backpressure { get; init; } = new();

    /// <summary>Threads the thread pool keeps ready (<c>worker_threads</c>); null leaves the runtime's default.</summary>
    public int? WorkerThreads { get; init; }

    /// <summary>The largest frame an agent may send, in bytes (<c>max_frame_bytes</c>).</summary>
    public int MaxFrameBytes { get; init; } = 1 << 20;

    /// <summary>
    /// The most bytes that may wait in one connection's outbound queue (<c>max_queue_bytes_per_client</c>); a consumer
    /// that falls further behind is disconnected (its direct mail stays in its mailbox).
    /// </summary>
    public long MaxQueueBytesPerClient { get; init; } = 32L << 20;

    /// <summary>The most connections at once (<c>max_connections</c>).</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>How long a secure-link handshake may take (<c>handshake_timeout_secs</c>).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Store-and-forward for offline recipients (<c>mailbox</c>).</summary>
    public MailboxOptions Mailbox { get; init; } = new();

    /// <summary>The relay's identity key file (<c>identity_file</c>); null for a fresh identity at each start.</summary>
    public string? IdentityFile { get; init; }

    /// <summary>The environment variable holding the identity file's passphrase (<c>identity_passphrase_env</c>).</summary>
    public string? IdentityPassphraseEnv { get; init; }

    /// <summary>The optional listener for Summoner's newline-JSON clients (<c>summoner</c>).</summary>
    public SummonerListenerOptions Summoner { get; init; } = new();

    /// <summary>The bounds of the relay's directory of agent cards.</summary>
    public Synapse.Discovery.AgentDirectoryOptions Directory { get; init; } = new();

    /// <summary>The broker shared with other relays (<c>backplane</c>); null keeps routing in this relay's memory.</summary>
    public BackplaneOptions? Backplane { get; init; }

    /// <summary>Checks every value; throws <see cref="RelayConfigurationException"/> naming the first bad key.</summary>
    public void Validate()
    {
        Check(Port is >= 0 and <= 65535, "port", "must be between 0 and 65535");
        Check(!string.IsNullOrWhiteSpace(Host), "host", "must not be empty");
        Check(RateLimitMessagesPerMinute > 0, "hyper_parameters.rate_limit_msgs_per_minute", "must be positive");
        Check(ClientTimeout is null || ClientTimeout > TimeSpan.Zero, "hyper_parameters.client_timeout_secs", "must be positive or null");
        Check(ClientTimeout is null || ClientTimeout <= MaxTimer, "hyper_parameters.client_timeout_secs", TooLongForATimer);
        Check(FrameTimeout > TimeSpan.Zero, "hyper_parameters.frame_timeout_secs", "must be positive");
        Check(FrameTimeout <= MaxTimer, "hyper_parameters.frame_timeout_secs", TooLongForATimer);
        Check(MaxRoomsPerLink > 0, "hyper_parameters.max_rooms_per_link", "must be positive");
        Check(AcceptErrorBackoff >= TimeSpan.Zero, "hyper_parameters.accept_error_backoff_ms", "must not be negative");
        Check(AcceptErrorBackoff <= MaxTimer, "hyper_parameters.accept_error_backoff_ms", TooLongForATimer);
        Check(QuarantineCooldown >= TimeSpan.Zero, "hyper_parameters.quarantine_cooldown_secs", "must not be negative");
        Check(QuarantineCleanupInterval > TimeSpan.Zero, "hyper_parameters.quarantine_cleanup_interval_secs", "must be positive");
        Check(QuarantineCleanupInterval <= MaxTimer, "hyper_parameters.quarantine_cleanup_interval_secs", TooLongForATimer);
        Check(ThrottleDelay >= TimeSpan.Zero, "hyper_parameters.throttle_delay_ms", "must not be negative");
        Check(ThrottleDelay <= MaxTimer, "hyper_parameters.throttle_delay_ms", TooLongForATimer);
        Check(FlowControlDelay > TimeSpan.Zero, "hyper_parameters.flow_control_delay_ms", "must be positive");
        Check(WorkerThreads is null or > 0, "hyper_parameters.worker_threads", "must be positive");
        Check(MaxFrameBytes >= 1024, "hyper_parameters.max_frame_bytes", "must be at least 1024");
        Check(MaxQueueBytesPerClient >= MaxFrameBytes, "hyper_parameters.max_queue_bytes_per_client", "must be at least max_frame_bytes");
        Check(MaxConnections > 0, "hyper_parameters.max_connections", "must be positive");
        Check(HandshakeTimeout > TimeSpan.Zero, "hyper_parameters.handshake_timeout_secs", "must be positive");
        Check(HandshakeTimeout <= MaxTimer, "hyper_parameters.handshake_timeout_secs", TooLongForATimer);
        Backpressure.Validate();
        Mailbox.Validate();
        Summoner.Validate();
        Check(MaxPartialFrameBytes >= MaxFrameBytes + 4L && MaxPartialFrameBytes >= Summoner.MaxLineBytes, "hyper_parameters.max_partial_frame_bytes",
            "must be at least max_frame_bytes + 4 (one whole frame with its length prefix) and at least summoner.max_line_bytes");
        Logger.Validate();
        Backplane?.Validate();
        Check(Backplane is null || Mailbox.TimeToLive <= MaxBrokerTimeToLive, "mailbox.ttl_secs",
            "must be at most 1073741 (about 12 days) with a backplane: the broker removes an unused mailbox after twice the time-to-live, which must stay under 2^31 ms");
    }

    /// <summary>How long a frame may take from its first byte: <see cref="FrameTimeout"/>, or the client timeout when shorter.</summary>
    internal TimeSpan FrameDeadline => ClientTimeout is { } idle && idle < FrameTimeout ? idle : FrameTimeout;

    /// <summary>The longest mailbox time-to-live with a backplane: twice it must fit the broker's 32-bit queue expiry.</summary>
    internal static readonly TimeSpan MaxBrokerTimeToLive = TimeSpan.FromSeconds(1_073_741);

    /// <summary>The longest delay a timer takes (about 49.7 days); durations that drive timers must not exceed it.</summary>
    internal static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private const string TooLongForATimer = "must be at most 4294967 seconds (about 49 days)";

    internal static void Check(bool condition, string key, string problem)
    {
        if (!condition)
        {
            throw new RelayConfigurationException(key, null, problem);
        }
    }
}
