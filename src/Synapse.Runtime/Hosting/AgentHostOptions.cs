using System.Net;
using Synapse.Artifacts;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Transport;

namespace Synapse.Hosting;

/// <summary>Which connections must be secure links (Noise, authenticated by agent identities).</summary>
public enum SecureLinkPolicy
{
    /// <summary>Plaintext is accepted from everyone, including Synapse clients that multiplex.</summary>
    Optional,

    /// <summary>
    /// Plaintext is accepted only as synapse-p2p speaks it (one request per connection, no hello); Synapse clients
    /// must connect securely. The default.
    /// </summary>
    RequiredForSynapse,

    /// <summary>Every connection must be a secure link; synapse-p2p Python peers cannot connect.</summary>
    Required,
}

/// <summary>Settings of an <see cref="AgentHost"/>. The defaults are safe for a node on an untrusted network.</summary>
public sealed class AgentHostOptions
{
    /// <summary>The address to listen on. Defaults to loopback; use <see cref="IPAddress.Any"/> to accept remote peers.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>The TCP port; 0 picks a free one (read it from <see cref="AgentHost.LocalEndPoint"/>).</summary>
    public int Port { get; set; }

    /// <summary>
    /// The address other nodes should dial, reported by <c>_synapse.info</c> and to swarm peers. Defaults to the
    /// bound address; a host bound to every interface (<see cref="IPAddress.Any"/>) advertises the machine's outbound
    /// IPv4 address, as synapse-p2p's <c>advertise="auto"</c> does.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The node id reported by <c>_synapse.info</c>; defaults to 64 random hex digits, as synapse-p2p does.</summary>
    public string? NodeId { get; set; }

    /// <summary>The host's identity for secure links; an ephemeral one is generated when <c>null</c>. Not disposed by the host.</summary>
    public AgentIdentity? Identity { get; set; }

    /// <summary>Which connections must be secure links.</summary>
    public SecureLinkPolicy SecureLinks { get; set; } = SecureLinkPolicy.RequiredForSynapse;

    /// <summary>
    /// How long a new connection may take to prove it is a caller: its first bytes must arrive, and a secure
    /// handshake must finish, within this time of the connection being accepted. A plaintext first frame must then
    /// complete within <see cref="FrameReadTimeout"/> of its first byte.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Endpoints restricted to listed callers, by endpoint name (including <c>_agent.ask</c>): only secure links
    /// whose proven agent id is in the set may call them. Fill it with <see cref="AllowCallers"/>.
    /// </summary>
    public Dictionary<string, HashSet<AgentId>> AllowedCallers { get; } = new(StringComparer.Ordinal);

    /// <summary>Restricts <paramref name="endpoint"/> to <paramref name="callers"/> (adds to any earlier list).</summary>
    /// <returns>These options, for chaining.</returns>
    public AgentHostOptions AllowCallers(string endpoint, params AgentId[] callers)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!AllowedCallers.TryGetValue(endpoint, out var set))
        {
            AllowedCallers[endpoint] = set = [];
        }

        set.UnionWith(callers);
        return this;
    }

    /// <summary>The node kind reported by <c>_synapse.info</c> (<c>node</c> or <c>bootstrap</c>). A swarm member reports its swarm's.</summary>
    public string Kind { get; set; } = "node";

    /// <summary>The swarm reported by <c>_synapse.info</c>; <c>null</c> for none. A swarm member reports its swarm's.</summary>
    public string? Swarm { get; set; }

    /// <summary>The team reported by <c>_synapse.info</c>. A swarm member reports its swarm's.</summary>
    public string Team { get; set; } = "default";

    /// <summary>
    /// What the host serves besides its agent, one of each kind, in the order set. Set by the features' owners
    /// through their extension properties (<c>SwarmNode</c> in <c>Synapse.Swarm</c>, <c>ReputationBook</c> in
    /// <c>Synapse.Reputation</c>); the host knows none of them by name.
    /// </summary>
    internal List<IHostFeature> Features { get; } = [];

    /// <summary>
    /// The artifacts the host serves (<c>_synapse.artifacts</c>, <c>_synapse.artifact.get</c>), as synapse-p2p nodes do:
    /// small documents with a MIME type, a size and a SHA-256. Without an <c>agent-card</c> of its own, the host serves
    /// one made from the agent. It may change while the host runs.
    /// </summary>
    public ArtifactCatalog Artifacts { get; } = new();

    /// <summary>The largest frame accepted or sent, in bytes (checked against the length prefix before reading the body).</summary>
    public int MaxFrameSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long a started frame may take to arrive completely before the connection is closed.</summary>
    public TimeSpan FrameReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most bytes all connections together may hold in frames begun but not finished (256 MiB). A connection whose
    /// partial frame would take the total past it is answered <c>server busy</c> and closed; its caller may send
    /// again later. Without it, the connections allowed (<see cref="MaxConnections"/> plus
    /// <see cref="MaxPendingConnections"/>) each holding a frame just short of <see cref="MaxFrameSize"/> would pin
    /// 8 GiB at the defaults. At least <see cref="MaxFrameSize"/> plus its 4-byte length prefix.
    /// </summary>
    public long MaxPartialFrameBytes { get; set; } = 256L << 20;

    /// <summary>How long writing a response may block on a peer that does not read before the connection is closed.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a connection may stay silent between frames before it is closed. The wait for a new connection's first
    /// bytes is <see cref="HandshakeTimeout"/> instead.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The most connections served at once that have proved they are callers (sent a complete first frame or finished
    /// a secure handshake); one more that proves itself is answered <c>server busy</c> and closed. Connections that
    /// have not proved anything yet are bounded separately by <see cref="MaxPendingConnections"/>.
    /// </summary>
    public int MaxConnections { get; set; } = 1024;

    /// <summary>
    /// The most connections held that have not yet proved they are callers (no complete first frame, no finished
    /// handshake). At the limit a new connection closes the oldest of them, silently, so connections that send
    /// nothing cannot lock callers out; each is also closed if its first bytes do not arrive within
    /// <see cref="HandshakeTimeout"/>. The host holds at most <see cref="MaxConnections"/> plus this many connections.
    /// </summary>
    public int MaxPendingConnections { get; set; } = 1024;

    /// <summary>The most calls in flight on one multiplexed connection; reading pauses while the limit is reached.</summary>
    public int MaxConcurrentCallsPerConnection { get; set; } = 256;

    /// <summary>How long <see cref="AgentHost.StopAsync"/> waits for in-flight calls before cancelling them.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether Synapse clients may negotiate persistent multiplexed connections (synapse-p2p clients never ask).</summary>
    public bool EnableMultiplexing { get; set; } = true;

    /// <summary>Limits applied when decoding requests.</summary>
    public MsgPackReaderOptions ReaderOptions { get; set; } = MsgPackReaderOptions.Default;

    /// <summary>Creates the listener; defaults to plain TCP on <see cref="BindAddress"/>:<see cref="Port"/>.</summary>
    public Func<AgentHostOptions, ITransportListener>? ListenerFactory { get; set; }

    /// <summary>
    /// The clock of background job schedules (<see cref="EveryAttribute"/>, <see cref="CronAttribute"/>,
    /// <see cref="SolarAttribute"/>); <see cref="TimeProvider.System"/> by default. Tests pass a fake one.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The feature of type <typeparamref name="T"/>, or <c>null</c>.</summary>
    internal T? Feature<T>()
        where T : class, IHostFeature => Features.OfType<T>().FirstOrDefault();

    /// <summary>Sets the feature of type <typeparamref name="T"/>, replacing any earlier one; <c>null</c> removes it.</summary>
    internal void SetFeature<T>(T? feature)
        where T : class, IHostFeature
    {
        var index = Features.FindIndex(f => f is T);
        if (feature is null)
        {
            if (index >= 0)
            {
                Features.RemoveAt(index);
            }
        }
        else if (index >= 0)
        {
            Features[index] = feature;
        }
        else
        {
            Features.Add(feature);
        }
    }

    /// <summary>The node as <c>_synapse.info</c> describes it: <see cref="Kind"/>, <see cref="Swarm"/>, <see cref="Team"/>, as the features change them.</summary>
    internal NodeProfile Profile() => Features.Aggregate(new NodeProfile(Kind, Swarm, Team), (profile, feature) => feature.Describe(profile));

    /// <summary>
    /// Checks every setting, as <see cref="AgentHost"/>'s constructor does: lets a caller that bound the options from
    /// configuration report a bad value before starting anything.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is out of range; <see cref="ArgumentException.ParamName"/> names it.</exception>
    public void Validate()
    {
        foreach (var feature in Features)
        {
            feature.Validate();
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentOutOfRangeException.ThrowIfNegative(Port, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameSize, 64, nameof(MaxFrameSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPartialFrameBytes, MaxFrameSize + 4L, nameof(MaxPartialFrameBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnections, 1, nameof(MaxConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingConnections, 1, nameof(MaxPendingConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentCallsPerConnection, 1, nameof(MaxConcurrentCallsPerConnection));
        foreach (var (name, value) in new[] { (nameof(FrameReadTimeout), FrameReadTimeout), (nameof(IdleTimeout), IdleTimeout), (nameof(WriteTimeout), WriteTimeout), (nameof(DrainTimeout), DrainTimeout), (nameof(HandshakeTimeout), HandshakeTimeout) })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive");
            }
        }
    }
}
