using Synapse.Discovery.Lan;
using Synapse.Tests.Envelopes;

namespace Synapse.Tests.Discovery.Lan;

/// <summary>Peers are forgotten when their records' TTL runs out unrefreshed (RFC 6762 §10), on a fake clock.</summary>
public class LanExpiryTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly LanAnnouncement Other = new("bbbbbbbb22222222", "10.0.0.2", 2000) { Name = "other", Host = "h2" };
    private static readonly LanAnnouncement Third = new("cccccccc33333333", "10.0.0.3", 3000) { Name = "third", Host = "h3" };

    private readonly ManualTimeProvider _clock = new(Start);

    private static DnsMessage Announce(LanAnnouncement a, uint ttl = 120) =>
        new(0, DnsMessage.ResponseFlags) { Answers = LanRecords.ToRecords(a, "unused", ttl) };

    private LanDiscovery Browser() => new(new LanDiscoveryOptions { HostName = "h1" }, time: _clock);

    private static async Task<List<LanAnnouncement>> Yielded(LanDiscovery discovery)
    {
        await discovery.DisposeAsync();
        var seen = new List<LanAnnouncement>();
        await foreach (var peer in discovery.DiscoverAsync())
        {
            seen.Add(peer);
        }

        return seen;
    }

    [Fact]
    public async Task A_peer_is_forgotten_when_its_ttl_runs_out()
    {
        await using var discovery = Browser();
        discovery.Handle(Announce(Other, ttl: 120), null);
        _clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(Other.Id, Assert.Single(discovery.Peers).Id);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(discovery.Peers);
    }

    [Fact]
    public async Task A_peer_heard_again_before_its_ttl_runs_out_stays_and_is_not_yielded_again()
    {
        var discovery = Browser();
        discovery.Handle(Announce(Other), null);
        _clock.Advance(TimeSpan.FromSeconds(100));
        discovery.Handle(Announce(Other), null);
        _clock.Advance(TimeSpan.FromSeconds(100)); // 200 s after the first announcement, 100 s after the second
        Assert.Equal(Other.Id, Assert.Single(discovery.Peers).Id);
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Empty(discovery.Peers);
        Assert.Equal([Other.Id], (await Yielded(discovery)).Select(p => p.Id));
    }

    [Fact]
    public async Task A_new_ttl_replaces_the_old_one_longer_or_shorter()
    {
        await using var discovery = Browser();
        discovery.Handle(Announce(Other, ttl: 120), null);
        _clock.Advance(TimeSpan.FromSeconds(60));
        discovery.Handle(Announce(Other, ttl: 600), null);
        _clock.Advance(TimeSpan.FromSeconds(599));
        Assert.Single(discovery.Peers);
        discovery.Handle(Announce(Other, ttl: 10), null);
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Single(discovery.Peers);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(discovery.Peers);
    }

    [Fact]
    public async Task The_shortest_ttl_of_the_peers_records_decides()
    {
        await using var discovery = Browser();
        var records = LanRecords.ToRecords(Other, "unused", 4500);
        records[1] = records[1] with { Ttl = 120 }; // SRV, as python-zeroconf sends it (host records 120 s)
        records[3] = records[3] with { Ttl = 120 }; // A
        discovery.Handle(new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = records }, null);
        _clock.Advance(TimeSpan.FromSeconds(120));
        Assert.Empty(discovery.Peers);
    }

    [Fact]
    public async Task Expiry_is_surfaced_exactly_like_a_goodbye()
    {
        var discovery = Browser();
        discovery.Handle(Announce(Other, ttl: 120), null);
        discovery.Handle(Announce(Third, ttl: 60), null);
        discovery.Handle(Announce(Other, ttl: 0), null); // goodbye
        _clock.Advance(TimeSpan.FromSeconds(60)); // Third expires
        Assert.Empty(discovery.Peers);

        // Both are forgotten the same way: heard of again, each is a new peer, yielded again.
        discovery.Handle(Announce(Other), null);
        discovery.Handle(Announce(Third), null);
        Assert.Equal(2, discovery.Peers.Count);
        Assert.Equal(
            [Other.Id, Third.Id, Other.Id, Third.Id],
            (await Yielded(discovery)).Select(p => p.Id));
    }

    [Fact]
    public async Task Expired_peers_free_their_places_under_the_cap()
    {
        await using var discovery = Browser();
        for (int i = 0; i < LanDiscovery.MaxPeers; i++)
        {
            discovery.Handle(Announce(Other with { Id = $"{i:x8}ffffffff" }, ttl: 10), null);
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
        discovery.Handle(Announce(Other with { Id = "00000000ffffffff" }, ttl: 10), null); // the first one, heard again
        discovery.Handle(Announce(Third), null);
        var peers = discovery.Peers.Select(p => p.Id).ToList();
        Assert.Equal(LanDiscovery.MaxPeers, peers.Count); // full of live peers: the one heard from longest ago made room
        Assert.Contains(Third.Id, peers);
        Assert.Contains("00000000ffffffff", peers);
        Assert.DoesNotContain("00000001ffffffff", peers);

        _clock.Advance(TimeSpan.FromSeconds(10));
        discovery.Handle(Announce(Third), null);
        Assert.Equal(Third.Id, Assert.Single(discovery.Peers).Id);
    }

    [Fact]
    public async Task A_huge_ttl_is_cut_to_75_minutes()
    {
        await using var discovery = Browser();
        discovery.Handle(Announce(Other, ttl: uint.MaxValue), null);
        _clock.Advance(TimeSpan.FromSeconds(LanRecords.MaxTtl - 1));
        Assert.Single(discovery.Peers);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(discovery.Peers);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(4501)]
    public void An_own_ttl_outside_1_to_4500_seconds_is_refused(double seconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LanDiscovery(new LanDiscoveryOptions { Ttl = TimeSpan.FromSeconds(seconds) }));
        Assert.Contains("Ttl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_is_due_at_80_85_90_and_95_percent_of_an_unrefreshed_ttl()
    {
        await using var discovery = Browser();
        discovery.Handle(Announce(Other, ttl: 100), null);
        var due = new List<int>();
        for (int second = 1; second <= 100; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            if (await discovery.RefreshAsync(CancellationToken.None))
            {
                due.Add(second);
            }
        }

        Assert.Equal([80, 85, 90, 95], due);
        Assert.Empty(discovery.Peers);
    }

    [Fact]
    public async Task Hearing_of_a_peer_again_starts_its_refresh_points_over()
    {
        await using var discovery = Browser();
        discovery.Handle(Announce(Other, ttl: 100), null);
        _clock.Advance(TimeSpan.FromSeconds(80));
        Assert.True(await discovery.RefreshAsync(CancellationToken.None));
        discovery.Handle(Announce(Other, ttl: 100), null);
        _clock.Advance(TimeSpan.FromSeconds(79));
        Assert.False(await discovery.RefreshAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await discovery.RefreshAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(14)); // past 85 and 90 at once: one query, not two
        Assert.True(await discovery.RefreshAsync(CancellationToken.None));
        Assert.False(await discovery.RefreshAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await discovery.RefreshAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.False(await discovery.RefreshAsync(CancellationToken.None)); // expired: forgotten, nothing to ask
        Assert.Empty(discovery.Peers);
    }
}
