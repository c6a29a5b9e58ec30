using System.Net;
using System.Net.Sockets;
using System.Text;
using Synapse.Discovery.Lan;
using Synapse.Hosting;

namespace Synapse.Swarm;

/// <summary>LAN discovery (<see cref="SwarmOptions.Mdns"/>): announces this node and adds the members it hears of.</summary>
public sealed partial class SwarmNode
{
    /// <summary>The most peers the LAN may bring into <see cref="Membership"/>: past it, new LAN peers are passed over.</summary>
    internal const int MaxLanMembers = LanDiscovery.MaxPeers;

    private Task _lanLoop = Task.CompletedTask;

    /// <summary>The node's LAN discovery when <see cref="SwarmOptions.Mdns"/> is set; <c>null</c> otherwise (no socket).</summary>
    internal LanDiscovery? Lan { get; }

    /// <summary>Creates the discovery announcing <paramref name="self"/>, or <c>null</c> when mDNS is off.</summary>
    private static LanDiscovery? CreateLan(SwarmOptions options, SwarmPeer self)
    {
        if (!options.Mdns)
        {
            return null;
        }

        var configured = options.Lan ?? new LanDiscoveryOptions();
        var lan = new LanDiscoveryOptions
        {
            Enabled = true,
            InterfaceAddress = configured.InterfaceAddress,
            Ttl = configured.Ttl,
            QueryInterval = configured.QueryInterval,
            HostName = configured.HostName,
        };
        var announcement = new LanAnnouncement(self.Id, LanAddress(self.Address, lan.InterfaceAddress), self.Port)
        {
            Name = self.Name,
            Kind = self.Kind,
            Swarm = self.Swarm,
            Team = self.Team,
            Capabilities = FittingCapabilities(self.Capabilities),
        };
        return options.LanFactory?.Invoke(lan, announcement) ?? new LanDiscovery(lan, announcement);
    }

    /// <summary>
    /// The IPv4 address to announce: the node's own address when it is one (and not 0.0.0.0), else the configured
    /// interface's, else the one the kernel would send multicast from, else 127.0.0.1.
    /// </summary>
    internal static string LanAddress(string address, IPAddress? interfaceAddress) =>
        IPAddress.TryParse(address, out var own) && own.AddressFamily == AddressFamily.InterNetwork && !own.Equals(IPAddress.Any)
            ? own.ToString()
            : ReachableAddress.Outbound(interfaceAddress);

    /// <summary>The leading capabilities whose comma-joined TXT string (<c>capabilities=…</c>) fits in 255 bytes.</summary>
    internal static IReadOnlyList<string> FittingCapabilities(IReadOnlyList<string> capabilities)
    {
        int size = "capabilities=".Length;
        var fitting = new List<string>(capabilities.Count);
        foreach (var capability in capabilities)
        {
            size += (fitting.Count > 0 ? 1 : 0) + Encoding.UTF8.GetByteCount(capability);
            if (size > byte.MaxValue)
            {
                break;
            }

            fitting.Add(capability);
        }

        return fitting;
    }

    /// <summary>Starts the LAN discovery and adds each peer it yields until <paramref name="stopping"/>, then disposes it.</summary>
    private async Task RunLanAsync(LanDiscovery lan, CancellationToken stopping)
    {
        try
        {
            await lan.StartAsync(stopping).ConfigureAwait(false);
            await foreach (var found in lan.DiscoverAsync(stopping).ConfigureAwait(false))
            {
                AddLanPeer(found);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (SocketException e)
        {
            SwarmLog.LanFailed(_logger, e);
        }
        finally
        {
            await lan.DisposeAsync().ConfigureAwait(false); // sends the goodbye
        }
    }

    /// <summary>
    /// Adds a peer the LAN announced to <see cref="Membership"/> when it is a member (same swarm and team, not this
    /// node), has a valid kind and port, and the LAN has not filled <see cref="MaxLanMembers"/> places.
    /// From then on it is heartbeated and reaped like any other peer.
    /// </summary>
    /// <returns>The stored peer; <c>null</c> when it was passed over.</returns>
    internal SwarmPeer? AddLanPeer(LanAnnouncement found)
    {
        ArgumentNullException.ThrowIfNull(found);
        if (!SwarmPeerKinds.IsValid(found.Kind) || found.Port is < 1 or > ushort.MaxValue)
        {
            return null;
        }

        if (!Membership.TryGet(found.Id, out _) && Membership.Peers.Count >= MaxLanMembers)
        {
            return null;
        }

        return Membership.Touch(new SwarmPeer(found.Id, found.Address, found.Port)
        {
            Swarm = found.Swarm,
            Team = found.Team,
            Name = string.IsNullOrEmpty(found.Name) ? null : found.Name,
            Kind = found.Kind,
            Capabilities = found.Capabilities,
        });
    }
}
