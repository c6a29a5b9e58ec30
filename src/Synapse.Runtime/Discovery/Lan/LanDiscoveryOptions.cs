using System.Net;

namespace Synapse.Discovery.Lan;

/// <summary>Settings of <see cref="LanDiscovery"/>. LAN discovery is off unless <see cref="Enabled"/> is set.</summary>
public sealed class LanDiscoveryOptions
{
    /// <summary>Whether <see cref="LanDiscovery.StartAsync"/> opens a socket at all; <c>false</c> by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The IPv4 address of the interface to send and join the group on; <c>null</c> lets the kernel choose by
    /// its route for 224.0.0.251. Only IPv4 is supported.
    /// </summary>
    public IPAddress? InterfaceAddress { get; set; }

    /// <summary>How long peers may cache our records; 120 seconds by default (RFC 6762 §10).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How often the browser asks again for <c>_synapse._tcp.local.</c>; 10 seconds by default.</summary>
    public TimeSpan QueryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Our host name, compared with a peer's TXT <c>host</c>; <c>null</c> means <see cref="Dns.GetHostName"/>.</summary>
    public string? HostName { get; set; }
}
