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
        await discovery.HandleAsync(Announce(Self), null, default);
        await discovery.HandleAsync(Announce(Other), null, default);
        await discovery.HandleAsync(Announce(Other), null, default);
        await discovery.HandleAsync(Announce(Other with { Port = 2001 }), null, default);
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
    public async Task Start_after_dispose_is_refused()
    {
        var discovery = new LanDiscovery(new LanDiscoveryOptions());
        await discovery.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => discovery.StartAsync());
    }
}
