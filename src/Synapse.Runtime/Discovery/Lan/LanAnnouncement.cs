namespace Synapse.Discovery.Lan;

/// <summary>
/// What a node announces on the LAN, and what a browser learns about a peer: the fields of synapse-p2p's mDNS
/// service (TXT keys <c>id, name, kind, swarm, team, host, capabilities</c>) plus the SRV port and the A address.
/// </summary>
/// <param name="Id">The node id (64 hex digits on synapse-p2p); its first 8 characters end the instance name.</param>
/// <param name="Address">The IPv4 address peers dial; for a discovered peer on this host, <c>127.0.0.1</c>.</param>
/// <param name="Port">The TCP port peers dial.</param>
public sealed record LanAnnouncement(string Id, string Address, int Port)
{
    /// <summary>The display name; <c>null</c> or empty for none (the instance name then starts with the id prefix).</summary>
    public string? Name { get; init; }

    /// <summary><c>node</c> or <c>bootstrap</c>.</summary>
    public string Kind { get; init; } = "node";

    /// <summary>The swarm; <c>null</c> for none.</summary>
    public string? Swarm { get; init; }

    /// <summary>The team; <c>null</c> for none.</summary>
    public string? Team { get; init; }

    /// <summary>The announcing machine's host name (TXT <c>host</c>); <c>null</c> means this machine's.</summary>
    public string? Host { get; init; }

    /// <summary>The names of the node's capabilities (TXT <c>capabilities</c>, comma-joined).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];
}
