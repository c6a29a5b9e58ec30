using System.Net;
using System.Net.Sockets;

namespace Synapse.Discovery.Lan;

/// <summary>Opens the IPv4 mDNS socket: UDP 5353 with SO_REUSEADDR (other responders share it), group 224.0.0.251 joined.</summary>
internal static class LanSocket
{
    public static Socket Open(IPAddress? interfaceAddress)
    {
        if (interfaceAddress is { AddressFamily: not AddressFamily.InterNetwork })
        {
            throw new ArgumentException("LAN discovery supports IPv4 interface addresses only", nameof(interfaceAddress));
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Any, LanDiscovery.MulticastEndPoint.Port));
            var group = LanDiscovery.MulticastEndPoint.Address;
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership,
                new MulticastOption(group, interfaceAddress ?? IPAddress.Any));
            if (interfaceAddress is not null)
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, interfaceAddress.GetAddressBytes());
            }

            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255); // RFC 6762 §11
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
