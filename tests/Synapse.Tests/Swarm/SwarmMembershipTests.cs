using Synapse.Swarm;

namespace Synapse.Tests.Swarm;

/// <summary>Membership rules of synapse-p2p §1.7 and the table's liveness.</summary>
public sealed class SwarmMembershipTests
{
    private static SwarmPeer Peer(string id, string? swarm = "lab", string? team = "default") =>
        new(id, "127.0.0.1", 1) { Swarm = swarm, Team = team };

    [Fact]
    public void Checks_swarm_then_team()
    {
        var table = new SwarmMembership("me", "lab", "default");

        Assert.Null(table.MembershipError(Peer("a")));
        Assert.Equal("peer requested a different swarm", table.MembershipError(Peer("a", swarm: "other")));
        Assert.Equal("peer requested a different team", table.MembershipError(Peer("a", team: null)));
        Assert.Equal("peer requested a different team", table.MembershipError(Peer("a", team: "blue")));
    }

    [Fact]
    public void A_node_without_swarm_or_team_accepts_everyone()
    {
        var table = new SwarmMembership("me", null, null);

        Assert.Null(table.MembershipError(Peer("a", swarm: "x", team: null)));
    }

    [Fact]
    public void Touch_adds_members_once_and_never_self_or_strangers()
    {
        var table = new SwarmMembership("me", "lab", "default");
        var online = new List<string>();
        table.PeerOnline += (_, e) => online.Add(e.Peer.Id);

        table.Touch(Peer("a"));
        table.Touch(Peer("a"));
        Assert.Null(table.Touch(Peer("me")));
        Assert.Null(table.Touch(Peer("b", swarm: "other")));

        Assert.Equal(["a"], online);
        Assert.Equal(["a"], table.Peers.Select(p => p.Id));
        Assert.True(table.Peers[0].LastSeen > 0);
    }

    [Fact]
    public void Reap_drops_only_silent_peers()
    {
        var clock = new ManualClock();
        var table = new SwarmMembership("me", "lab", "default", clock);
        var offline = new List<string>();
        table.PeerOffline += (_, e) => offline.Add(e.Peer.Id);
        table.Touch(Peer("old"));
        clock.Advance(TimeSpan.FromSeconds(15));
        table.Touch(Peer("fresh"));
        clock.Advance(TimeSpan.FromSeconds(10));

        var dropped = table.Reap(TimeSpan.FromSeconds(20));

        Assert.Equal(["old"], dropped.Select(p => p.Id));
        Assert.Equal(["old"], offline);
        Assert.Equal(["fresh"], table.Peers.Select(p => p.Id));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
