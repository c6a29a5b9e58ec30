// docs/discovery-lan.md: announcing and discovering agents on the local network.
using Synapse.Discovery.Lan;

namespace Synapse.Docs.Tests.Snippets;

internal static class DiscoveryLanSnippet
{
    public static async Task RunAsync(string nodeId, CancellationToken cancellationToken)
    {
        var self = new LanAnnouncement(nodeId, "192.168.1.20", 9999)
        {
            Name = "calculator", Swarm = "lab", Team = "default", Capabilities = ["sum", "mul"],
        };
        await using var lan = new LanDiscovery(new LanDiscoveryOptions { Enabled = true }, self);
        await lan.StartAsync();
        await foreach (var peer in lan.DiscoverAsync(cancellationToken))
        {
            Console.WriteLine($"{peer.Name} {peer.Id} at {peer.Address}:{peer.Port}");
        }
    }
}
