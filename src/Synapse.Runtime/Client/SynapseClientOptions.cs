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

    /// <summary>Opens connections; plain TCP by default.</summary>
    public ITransportConnector Connector { get; set; } = TcpTransport.Instance;

    /// <summary>Limits applied when decoding responses.</summary>
    public MsgPackReaderOptions ReaderOptions { get; set; } = MsgPackReaderOptions.Default;
}
