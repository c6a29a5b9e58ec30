namespace Synapse.Hosting;

/// <summary>
/// An agent's settings as configuration holds them (section <c>Synapse:Agents:{name}</c>): what
/// <see cref="AgentHostOptions"/> takes, in types configuration can bind (an address is text here). Every value is
/// checked when the app starts, and a value that cannot be used is an error naming its key; keys this class does
/// not know are errors too. Unset values keep <see cref="AgentHostOptions"/>' defaults.
/// </summary>
public sealed class AgentSettings
{
    /// <summary>The IP address to listen on (<c>"127.0.0.1"</c>, <c>"0.0.0.0"</c>, <c>"::"</c>).</summary>
    public string? BindAddress { get; set; }

    /// <summary>The port to listen on; 0 picks a free one.</summary>
    public int? Port { get; set; }

    /// <summary>The address other nodes should use to reach this one (<c>host:port</c>).</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The node id reported to peers.</summary>
    public string? NodeId { get; set; }

    /// <summary>A key file written by <c>synapse identity new</c>: the agent's identity. A fresh one each start when unset.</summary>
    public string? IdentityFile { get; set; }

    /// <summary>The environment variable holding the key file's passphrase (never the passphrase itself).</summary>
    public string? IdentityPassphraseVariable { get; set; }

    /// <summary>Which connections must use secure links.</summary>
    public SecureLinkPolicy? SecureLinks { get; set; }

    /// <summary>Endpoints restricted to listed callers: endpoint name → agent ids (did:key) allowed to call it.</summary>
    public Dictionary<string, string[]> AllowedCallers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a new connection may take to prove it is a caller.</summary>
    public TimeSpan? HandshakeTimeout { get; set; }

    /// <summary>How long a started frame may take to arrive completely.</summary>
    public TimeSpan? FrameReadTimeout { get; set; }

    /// <summary>How long a connection may stay silent between frames.</summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>How long writing a response may block on a peer that does not read.</summary>
    public TimeSpan? WriteTimeout { get; set; }

    /// <summary>How long stopping waits for calls in flight before cancelling them.</summary>
    public TimeSpan? DrainTimeout { get; set; }

    /// <summary>The largest frame accepted or sent, in bytes.</summary>
    public int? MaxFrameSize { get; set; }

    /// <summary>The most bytes all connections together may hold in unfinished frames.</summary>
    public long? MaxPartialFrameBytes { get; set; }

    /// <summary>The most connections served at once that proved they are callers.</summary>
    public int? MaxConnections { get; set; }

    /// <summary>The most connections held that have not proved anything yet.</summary>
    public int? MaxPendingConnections { get; set; }

    /// <summary>The most calls in flight on one multiplexed connection.</summary>
    public int? MaxConcurrentCallsPerConnection { get; set; }

    /// <summary>The agent's swarm membership; the agent joins no swarm when unset (unless code adds one with <c>AddSwarm</c>).</summary>
    public SwarmSettings? Swarm { get; set; }

    /// <summary>Long-running tasks (section <c>Tasks</c>); <c>null</c> serves none.</summary>
    public TaskSettings? Tasks { get; set; }
}
