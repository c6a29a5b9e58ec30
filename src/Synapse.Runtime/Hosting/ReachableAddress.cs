using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Synapse.Hosting;

/// <summary>
/// Chooses the addresses a node tells others to dial, and the address it dials itself, as synapse-p2p's
/// <c>advertise="auto"</c> and <c>connect_address</c> do: a wildcard bind is advertised as the machine's outbound
/// IPv4 address, and a peer address that is one of this machine's own is dialled on loopback.
/// </summary>
internal static class ReachableAddress
{
    /// <summary>
    /// The address to advertise for a listener bound to <paramref name="bound"/>: the bound address when it is a
    /// specific one, else <see cref="Outbound"/>.
    /// </summary>
    public static string Advertised(IPAddress bound) =>
        bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any) ? Outbound(null) : bound.ToString();

    /// <summary>
    /// A reachable IPv4 address of this machine: <paramref name="interfaceAddress"/> when given, else the source
    /// address of the route the kernel would pick toward the mDNS group (a connected UDP socket: nothing is sent),
    /// else 127.0.0.1.
    /// </summary>
    public static string Outbound(IPAddress? interfaceAddress)
    {
        if (interfaceAddress is { AddressFamily: AddressFamily.InterNetwork } chosen && !chosen.Equals(IPAddress.Any))
        {
            return chosen.ToString();
        }

        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(RouteProbe);
            if (probe.LocalEndPoint is IPEndPoint { Address: var local } && !local.Equals(IPAddress.Any))
            {
                return local.ToString();
            }
        }
        catch (SocketException)
        {
        }

        return IPAddress.Loopback.ToString();
    }

    /// <summary>
    /// The host to dial for a peer that advertised <paramref name="address"/>: 127.0.0.1 when the address is one of
    /// this machine's own (or a wildcard), so that talking to a node on the same machine never leaves it.
    /// </summary>
    public static string Connect(string address)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return address;
        }

        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || IsOwn(ip))
        {
            return ip.AddressFamily == AddressFamily.InterNetworkV6 && !ip.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback.ToString() : IPAddress.Loopback.ToString();
        }

        return address;
    }

    private static readonly IPEndPoint RouteProbe = new(IPAddress.Parse("224.0.0.251"), 5353);

    private static bool IsOwn(IPAddress ip)
    {
        if (IPAddress.IsLoopback(ip))
        {
            return false;
        }

        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Any(u => u.Address.Equals(ip));
        }
        catch (NetworkInformationException)
        {
            return false;
        }
    }
}
