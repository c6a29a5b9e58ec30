using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Transport;

namespace Synapse.Client;

/// <summary>How a client uses connections.</summary>
public enum ConnectionMode
{
    /// <summary>Ask the peer with <c>_synapse.hello</c>; multiplex if it agrees, otherwise one connection per call.</summary>
    Auto,

    /// <summary>Require a persistent multiplexed connection; fail if the peer does not offer one.</summary>
    Multiplexed,

    /// <summary>One connection per call, as synapse-p2p's Python client does.</summary>
    PerCall,
}

/// <summary>Whether calls travel over secure links (Noise, authenticated by agent identities).</summary>
public enum LinkSecurity
{
    /// <summary>Secure with every Synapse host; plaintext only with peers that do not speak it (synapse-p2p nodes).</summary>
    Auto,

    /// <summary>Always secure; a peer without secure links is an error.</summary>
    Required,

    /// <summary>Always plaintext (for hosts configured with <c>SecureLinkPolicy.Optional</c> and for benchmarks).</summary>
    Disabled,
}

/// <summary>Settings of a <see cref="SynapseClient"/>.</summary>
public sealed class SynapseClientOptions
{
    /// <summary>Default time a call may take, from sending to the response (synapse-p2p's default is 30 s).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed to open a connection (and negotiate it).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long sending may block on a host that does not read before the connection is closed.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest request sent and response accepted, in bytes.</summary>
    public int MaxFrameSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>How connections are used.</summary>
    public ConnectionMode Mode { get; set; } = ConnectionMode.Auto;

    /// <summary>Whether links are secure.</summary>
    public LinkSecurity Security { get; set; } = LinkSecurity.Auto;

    /// <summary>
    /// The identity this client proves on secure links. When <c>null</c>, the process's anonymous identity: one
    /// generated on first use, shared by every client of the process that has none, and never stored. Not disposed
    /// by the client.
    /// </summary>
    public AgentIdentity? Identity { get; set; }

    /// <summary>When set, the peer must prove this agent id (pinning); implies secure links.</summary>
    public AgentId? ExpectedPeer { get; set; }

    /// <summary>How long a secure handshake may take.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Opens connections; plain TCP by default.</summary>
    public ITransportConnector Connector { get; set; } = TcpTransport.Instance;

    /// <summary>Limits applied when decoding responses.</summary>
    public MsgPackReaderOptions ReaderOptions { get; set; } = MsgPackReaderOptions.Default;
}
