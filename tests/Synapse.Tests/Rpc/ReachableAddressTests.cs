using System.Net;
using System.Net.NetworkInformation;
using Synapse.Hosting;

namespace Synapse.Tests.Rpc;

public sealed class ReachableAddressTests
{
    [Fact]
    public void A_specific_bound_address_is_advertised_as_it_is()
    {
        Assert.Equal("127.0.0.1", ReachableAddress.Advertised(IPAddress.Loopback));
        Assert.Equal("10.1.2.3", ReachableAddress.Advertised(IPAddress.Parse("10.1.2.3")));
    }

    [Fact]
    public void A_wildcard_bind_is_advertised_as_an_address_of_this_machine()
    {
        foreach (var wildcard in new[] { IPAddress.Any, IPAddress.IPv6Any })
        {
            var advertised = IPAddress.Parse(ReachableAddress.Advertised(wildcard));

            Assert.NotEqual(IPAddress.Any, advertised);
            Assert.True(IPAddress.IsLoopback(advertised) || OwnAddresses().Contains(advertised), $"{advertised} is not an address of this machine");
        }
    }

    [Fact]
    public void Own_and_wildcard_addresses_are_dialled_on_loopback_and_others_as_they_are()
    {
        var own = OwnAddresses().FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

        Assert.Equal("127.0.0.1", ReachableAddress.Connect("0.0.0.0"));
        Assert.Equal("127.0.0.1", ReachableAddress.Connect("127.0.0.1"));
        Assert.Equal("203.0.113.9", ReachableAddress.Connect("203.0.113.9"));
        Assert.Equal("agents.example", ReachableAddress.Connect("agents.example"));
        if (own is not null)
        {
            Assert.Equal("127.0.0.1", ReachableAddress.Connect(own.ToString()));
        }
    }

    /// <summary>Every address of this machine's interfaces, as the operating system lists them.</summary>
    internal static HashSet<IPAddress> OwnAddresses() =>
        [.. NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address)];
}
