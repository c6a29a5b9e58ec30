using Synapse.Swarm;

namespace Synapse.Hosting;

/// <summary>
/// An agent's swarm membership as configuration holds it (section <c>Synapse:Agents:{name}:Swarm</c>): present, it
/// makes the agent a member of a synapse-p2p swarm. Unset values keep <see cref="SwarmOptions"/>' defaults. A durable
/// conversation log is a service: register an <see cref="ISwarmConversationLog"/> keyed by the agent's name (for
/// example a <c>SqliteConversationLog</c>) and the agent keeps its conversations there.
/// </summary>
public sealed class SwarmSettings
{
    /// <summary>The swarm's name; peers of another swarm are refused.</summary>
    public string? Name { get; set; }

    /// <summary>The team; peers of another team are refused.</summary>
    public string? Team { get; set; }

    /// <summary><c>node</c> or <c>bootstrap</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>Nodes to join through, as <c>host:port</c> (port 9999 when omitted).</summary>
    public string[] Seeds { get; set; } = [];

    /// <summary>How often peers are sent a heartbeat and silent ones reaped.</summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>How long a peer may stay silent before it is dropped.</summary>
    public TimeSpan? PeerTimeout { get; set; }

    /// <summary>The bound on every swarm call the agent makes.</summary>
    public TimeSpan? CallTimeout { get; set; }

    /// <summary>The address other peers dial.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The port other peers dial.</summary>
    public int? AdvertisedPort { get; set; }

    /// <summary>How long conversation events are kept before they are pruned.</summary>
    public TimeSpan? ConversationRetention { get; set; }

    /// <summary>Past how many events a conversation is compacted into a summary.</summary>
    public int? CompactAfter { get; set; }

    /// <summary>How many of the newest events a compaction keeps.</summary>
    public int? ConversationKeepRecent { get; set; }

    /// <summary>How many events one conversation keeps.</summary>
    public int? MaxConversationEvents { get; set; }

    /// <summary>How many conversations the agent keeps.</summary>
    public int? MaxConversations { get; set; }

    /// <summary>How many event ids the agent remembers against duplicates.</summary>
    public int? MaxRememberedEventIds { get; set; }

    /// <summary>Whether the events the agent emits are signed by its identity.</summary>
    public bool? SignEvents { get; set; }

    /// <summary>Whether unsigned events are refused.</summary>
    public bool? RequireSignedEvents { get; set; }

    /// <summary>The signer (a <c>did:key</c> agent id) expected for a peer id's events.</summary>
    public Dictionary<string, string> PeerKeys { get; set; } = [];

    /// <summary>Whether the agent announces itself and finds peers on the local network (mDNS).</summary>
    public bool? Mdns { get; set; }

    /// <summary>The swarm options these settings describe.</summary>
    internal SwarmOptions ToOptions()
    {
        var options = new SwarmOptions();
        options.Swarm = Name ?? options.Swarm;
        options.Team = Team ?? options.Team;
        options.Kind = Kind ?? options.Kind;
        options.HeartbeatInterval = HeartbeatInterval ?? options.HeartbeatInterval;
        options.PeerTimeout = PeerTimeout ?? options.PeerTimeout;
        options.CallTimeout = CallTimeout ?? options.CallTimeout;
        options.AdvertisedAddress = AdvertisedAddress ?? options.AdvertisedAddress;
        options.AdvertisedPort = AdvertisedPort ?? options.AdvertisedPort;
        options.Mdns = Mdns ?? options.Mdns;
        options.ConversationRetention = ConversationRetention ?? options.ConversationRetention;
        options.CompactAfter = CompactAfter ?? options.CompactAfter;
        options.ConversationKeepRecent = ConversationKeepRecent ?? options.ConversationKeepRecent;
        options.MaxConversationEvents = MaxConversationEvents ?? options.MaxConversationEvents;
        options.MaxConversations = MaxConversations ?? options.MaxConversations;
        options.MaxRememberedEventIds = MaxRememberedEventIds ?? options.MaxRememberedEventIds;
        options.SignEvents = SignEvents ?? options.SignEvents;
        options.RequireSignedEvents = RequireSignedEvents ?? options.RequireSignedEvents;
        foreach (var seed in Seeds)
        {
            options.Seeds.Add(seed);
        }

        foreach (var (peer, key) in PeerKeys)
        {
            options.PeerKeys[peer] = key;
        }

        return options;
    }
}
