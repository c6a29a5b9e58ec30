using Synapse.Client;

namespace Synapse.Hosting;

/// <summary>
/// A client's settings as configuration holds them (section <c>Synapse:Clients:{name}</c>): where the node is and
/// how to talk to it. Checked when the app starts, each problem named by its key; unknown keys are errors.
/// </summary>
public sealed class ClientSettings
{
    /// <summary>The node's <c>HOST:PORT</c> (an IPv6 host in brackets). Required.</summary>
    public string? Address { get; set; }

    /// <summary>The agent id (did:key) the node must prove; implies secure links.</summary>
    public string? ExpectedPeer { get; set; }

    /// <summary>A key file written by <c>synapse identity new</c>: the identity the client proves on secure links (nodes that allow only listed callers check it). The process's anonymous identity when unset.</summary>
    public string? IdentityFile { get; set; }

    /// <summary>The environment variable holding the key file's passphrase (never the passphrase itself).</summary>
    public string? IdentityPassphraseVariable { get; set; }

    /// <summary>Whether calls travel over secure links.</summary>
    public LinkSecurity? Security { get; set; }

    /// <summary>How connections are used.</summary>
    public ConnectionMode? Mode { get; set; }

    /// <summary>How long a call may take by default.</summary>
    public TimeSpan? CallTimeout { get; set; }

    /// <summary>How long opening (and negotiating) a connection may take.</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>The largest request sent and response accepted, in bytes.</summary>
    public int? MaxFrameSize { get; set; }
}
