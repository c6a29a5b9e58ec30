using Synapse.Discovery.Lan;

namespace Synapse.Tests.Discovery.Lan;

/// <summary>LanDiscovery without a network: it stays off by default, and maps received messages to peers.</summary>
public class LanDiscoveryTests
{
    private static readonly LanAnnouncement Self = new("aaaaaaaa11111111", "10.0.0.1", 1000) { Name = "self", Host = "h1" };
    private static readonly LanAnnouncement Other = new("bbbbbbbb22222222", "10.0.0.2", 2000) { Name = "other", Host = "h2" };

    private static DnsMessage Announce(LanAnnouncement a) =>
        new(0, DnsMessage.ResponseFlags) { Answers = LanRecords.ToRecords(a, "unused", 120) };

    [Fact]
    public async Task Is_off_by_default_and_opens_no_socket()
    {
        Assert.False(new LanDiscoveryOptions().Enabled);
        await using var discovery = new LanDiscovery(new LanDiscoveryOptions(), Self);
        await discovery.StartAsync();
        Assert.False(discovery.IsRunning);
    }

    [Fact]
    public async Task Yields_new_and_changed_peers_once_and_never_itself()
    {
        var discovery = new LanDiscovery(new LanDiscoveryOptions { HostName = "h1" }, Self);
        discovery.Handle(Announce(Self), null);
        discovery.Handle(Announce(Other), null);
        discovery.Handle(Announce(Other), null);
        discovery.Handle(Announce(Other with { Port = 2001 }), null);
        await discovery.DisposeAsync();

        var seen = new List<LanAnnouncement>();
        await foreach (var peer in discovery.DiscoverAsync())
        {
            seen.Add(peer);
        }

        Assert.Equal([2000, 2001], seen.Select(p => p.Port));
        Assert.All(seen, p => Assert.Equal(Other.Id, p.Id));
        Assert.Equal(2001, Assert.Single(discovery.Peers).Port);
    }

    [Fact]
    public async Task A_goodbye_forgets_the_peer_and_a_later_announcement_brings_it_back()
    {
        await using var discovery = new LanDiscovery(new LanDiscoveryOptions { HostName = "h1" });
        discovery.Handle(Announce(Other), null);
        Assert.Single(discovery.Peers);
        var goodbye = new DnsMessage(0, DnsMessage.ResponseFlags)
        {
            Answers = [.. LanRecords.ToRecords(Other, "unused", 0)],
        };
        discovery.Handle(goodbye, null);
        Assert.Empty(discovery.Peers);
        discovery.Handle(Announce(Other), null);
        Assert.Equal(Other.Id, Assert.Single(discovery.Peers).Id);
    }

    [Fact]
    public async Task A_flood_of_made_up_peers_is_capped()
    {
        var discovery = new LanDiscovery(new LanDiscoveryOptions { HostName = "h1" });
        for (int i = 0; i < LanDiscovery.MaxPeers + 100; i++)
        {
            discovery.Handle(Announce(Other with { Id = $"{i:x8}ffffffff" }), null);
        }

        discovery.Handle(Announce(Other with { Id = "00000000ffffffff", Port = 3000 }), null); // known: still updated
        await discovery.DisposeAsync();
        Assert.Equal(LanDiscovery.MaxPeers, discovery.Peers.Count);
        Assert.Equal(3000, discovery.Peers.Single(p => p.Id == "00000000ffffffff").Port);
        int yielded = 0;
        await foreach (var _ in discovery.DiscoverAsync())
        {
            yielded++;
        }

        Assert.Equal(LanDiscovery.MaxPeers, yielded);
    }

    [Fact]
    public void An_announcement_that_cannot_be_sent_is_refused_up_front()
    {
        var options = new LanDiscoveryOptions();
        Assert.Throws<ArgumentException>(() => new LanDiscovery(options, Self with { Address = "fe80::1" }));
        Assert.Throws<ArgumentException>(() => new LanDiscovery(options, Self with { Address = "box.local" }));
        Assert.Throws<ArgumentException>(() => new LanDiscovery(options, Self with { Port = 70000 }));
        var error = Assert.Throws<ArgumentException>(() => new LanDiscovery(options, Self with { Capabilities = [new string('c', 300)] }));
        Assert.Contains("255", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_after_dispose_is_refused()
    {
        var discovery = new LanDiscovery(new LanDiscoveryOptions());
        await discovery.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => discovery.StartAsync());
    }
}
