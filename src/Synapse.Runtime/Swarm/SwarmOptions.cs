using Synapse.Discovery.Lan;

namespace Synapse.Swarm;

/// <summary>
/// Makes an <see cref="Hosting.AgentHost"/> a member of a synapse-p2p v2 swarm: it joins through seeds, heartbeats
/// every known peer, serves <c>_synapse.join</c>, <c>_synapse.heartbeat</c>, <c>_synapse.peers</c> and swarm asks, and
/// can start swarm asks itself.
/// </summary>
public sealed class SwarmOptions
{
    /// <summary>The swarm; peers of another swarm are refused. <c>null</c> accepts every swarm.</summary>
    public string? Swarm { get; set; }

    /// <summary>The team; peers of another team (or none) are refused. <c>null</c> accepts every team.</summary>
    public string? Team { get; set; } = "default";

    /// <summary>How often every known peer is sent a heartbeat and silent peers are reaped; <c>null</c> disables both.</summary>
    public TimeSpan? HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a peer may stay silent before it is dropped.</summary>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Nodes to join through, as <c>host:port</c> (port 9999 when omitted, as synapse-p2p).</summary>
    public IList<string> Seeds { get; } = [];

    /// <summary>The address other peers dial; defaults to the host's advertised or bound address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The port other peers dial; defaults to the bound port.</summary>
    public int? AdvertisedPort { get; set; }

    /// <summary><c>node</c> or <c>bootstrap</c>.</summary>
    public string Kind { get; set; } = SwarmPeerKinds.Node;

    /// <summary>
    /// Whether the node answers swarm asks (<c>synapse.ask</c>). A member that only listens (the <c>synapse swarm</c>
    /// commands) turns it off: an ask to it is then <c>bad_request</c> "Unregistered endpoint called: synapse.ask", at
    /// once, as from a synapse-p2p node without that endpoint, instead of an ack followed by an error. An agent's own
    /// <c>synapse.ask</c> endpoint answers either way. Default <c>true</c>.
    /// </summary>
    public bool ServeAsks { get; set; } = true;

    /// <summary>The bound on every swarm call this node makes (join, heartbeat, events, replies).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many asks started by <see cref="SwarmNode.AskAsync"/> may be waiting for replies at once.</summary>
    public int MaxPendingAsks { get; set; } = 64;

    /// <summary>
    /// The largest <c>_synapse.broadcast.reply</c> keyword arguments (the encoded <c>result</c>) accepted for a pending
    /// ask of this node; a larger reply counts as that peer's failure and is not stored.
    /// </summary>
    public int MaxReplyBytes { get; set; } = 1024 * 1024;

    /// <summary>How many events one conversation keeps: its head and the newest. Default 1,000.</summary>
    public int MaxConversationEvents { get; set; } = 1_000;

    /// <summary>
    /// Past how many events a conversation is compacted automatically (synapse-p2p's <c>conversation_max_events</c>):
    /// its older events fold into one <c>summary</c> event. <c>null</c> (the default) compacts only on request
    /// (<see cref="SwarmNode.CompactConversationAsync"/>).
    /// </summary>
    public int? CompactAfter { get; set; }

    /// <summary>
    /// How long conversation events are kept (synapse-p2p's <c>conversation_retention</c>): older ones are pruned
    /// periodically (every quarter of it, between 50 ms and a minute) and refused when they arrive. <c>null</c> (the
    /// default) keeps them within the log's bounds only.
    /// </summary>
    public TimeSpan? ConversationRetention { get; set; }

    /// <summary>How many of the newest events a compaction keeps as they are (<c>conversation_keep_recent</c>). Default 25.</summary>
    public int ConversationKeepRecent { get; set; } = 25;

    /// <summary>
    /// Writes the text of a compaction's <c>summary</c> event; <c>null</c> uses <see cref="SwarmSummaries.DefaultAsync"/>,
    /// synapse-p2p's digest. An LLM-backed summariser fits here.
    /// </summary>
    public ConversationSummarizer? Summarizer { get; set; }

    /// <summary>
    /// Where the conversation log is kept so that it survives a restart, a kill included (<c>SqliteConversationLog</c> in
    /// Synapse.Storage.Sqlite); <c>null</c> (the default) keeps it in memory only. A team restores its tasks from it
    /// when it starts.
    /// </summary>
    public ISwarmConversationLog? ConversationLog { get; set; }

    /// <summary>
    /// Whether the events this node emits carry an Ed25519 signature by the host's identity in their metadata
    /// (<see cref="SwarmEventSignatures"/>). Default <c>true</c>; Python nodes keep it and ignore it.
    /// </summary>
    public bool SignEvents { get; set; } = true;

    /// <summary>
    /// Whether unsigned events are refused. A signed event is always checked, and refused when its signature does not
    /// verify or its signer is not the key first seen (or pinned in <see cref="PeerKeys"/>) for its peer id, so a member
    /// cannot forge another's events. Default <c>false</c>, so Python nodes, which do not sign, can take part.
    /// </summary>
    public bool RequireSignedEvents { get; set; }

    /// <summary>
    /// The signer (a <c>did:key</c> agent id) expected for a peer id's events; peers not listed are bound to the first
    /// key their events are signed with.
    /// </summary>
    public IDictionary<string, string> PeerKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How many conversations the node keeps; past it the one updated longest ago is forgotten. Default 1,000.</summary>
    public int MaxConversations { get; set; } = 1_000;

    /// <summary>How many event ids (and broadcast replies) the node remembers, so that gossip cannot store them twice. Default 100,000.</summary>
    public int MaxRememberedEventIds { get; set; } = 100_000;

    /// <summary>
    /// Whether the node also finds peers on the LAN (synapse-p2p's <c>mdns=True</c>): it runs a
    /// <see cref="LanDiscovery"/> that announces this node under <c>_synapse._tcp.local.</c> and adds every peer it
    /// hears of in the same swarm and team to <see cref="SwarmNode.Membership"/>. <c>false</c> by default: no socket
    /// is opened.
    /// </summary>
    public bool Mdns { get; set; }

    /// <summary>
    /// The LAN discovery settings used when <see cref="Mdns"/> is set (interface, TTL, query interval, host name);
    /// <c>null</c> for the defaults. Their <see cref="LanDiscoveryOptions.Enabled"/> is ignored: <see cref="Mdns"/> decides.
    /// </summary>
    public LanDiscoveryOptions? Lan { get; set; }

    /// <summary>Test seam: creates the node's LAN discovery from its options and announcement instead of <c>new LanDiscovery(...)</c>.</summary>
    internal Func<LanDiscoveryOptions, LanAnnouncement, LanDiscovery>? LanFactory { get; set; }

    internal void Validate()
    {
        if (HeartbeatInterval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), interval, "HeartbeatInterval must be positive or null");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PeerTimeout, TimeSpan.Zero, nameof(PeerTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CallTimeout, TimeSpan.Zero, nameof(CallTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingAsks, 1, nameof(MaxPendingAsks));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReplyBytes, 1, nameof(MaxReplyBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConversationEvents, 2, nameof(MaxConversationEvents));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConversations, 1, nameof(MaxConversations));
        ArgumentOutOfRangeException.ThrowIfNegative(ConversationKeepRecent, nameof(ConversationKeepRecent));
        if (ConversationRetention is { } retention)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero, nameof(ConversationRetention));
        }
        if (CompactAfter is { } after)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(after, ConversationKeepRecent + 1, nameof(CompactAfter));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRememberedEventIds, MaxConversationEvents, nameof(MaxRememberedEventIds));
        if (!SwarmPeerKinds.IsValid(Kind))
        {
            throw new ArgumentException($"'{Kind}' is not a valid NodeKind", nameof(Kind));
        }

        foreach (var seed in Seeds)
        {
            _ = ParseSeed(seed);
        }

        foreach (var (peer, key) in PeerKeys)
        {
            if (!Identity.AgentId.TryParse(key, out _, out var error))
            {
                throw new ArgumentException($"PeerKeys['{peer}'] is not an agent id: {error}", nameof(PeerKeys));
            }
        }

        if (Mdns && Lan is { } lan)
        {
            if (lan.Ttl < TimeSpan.FromSeconds(1) || lan.Ttl > TimeSpan.FromSeconds(LanRecords.MaxTtl))
            {
                throw new ArgumentOutOfRangeException(nameof(Lan), lan.Ttl, $"Lan.Ttl must be between 1 and {LanRecords.MaxTtl} seconds.");
            }

            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lan.QueryInterval, TimeSpan.Zero, nameof(Lan));
            if (lan.InterfaceAddress is { AddressFamily: not System.Net.Sockets.AddressFamily.InterNetwork })
            {
                throw new ArgumentException("Lan.InterfaceAddress must be an IPv4 address", nameof(Lan));
            }
        }
    }

    /// <summary>Splits <c>host:port</c>; the port defaults to 9999.</summary>
    internal static (string Host, int Port) ParseSeed(string seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(seed);
        var colon = seed.LastIndexOf(':');
        if (colon < 0)
        {
            return (seed, 9999);
        }

        return int.TryParse(seed.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? (seed[..colon], port)
            : throw new ArgumentException($"seed '{seed}' is not host:port", nameof(Seeds));
    }
}
