using System.Net;
using System.Net.Sockets;
using Synapse.Discovery.Lan;
using Synapse.Swarm;
using Synapse.Tests.Rpc;

namespace Synapse.Tests.Swarm;

/// <summary>
/// <see cref="SwarmOptions.Mdns"/>: the node's LAN discovery announces it and brings LAN peers of its swarm and team
/// into membership. No multicast: the discovery is made socketless through <see cref="SwarmOptions.LanFactory"/> and
/// fed DNS responses with <see cref="LanDiscovery.Handle"/>.
/// </summary>
public sealed class SwarmMdnsTests
{
    private static LanAnnouncement Peer(string id, int port = 1, string? swarm = "lab", string? team = "default") =>
        new(id, "127.0.0.1", port) { Name = id + "-name", Swarm = swarm, Team = team, Host = "elsewhere", Capabilities = ["sum", "mul"] };

    private static DnsMessage Announce(LanAnnouncement peer) =>
        new(0, DnsMessage.ResponseFlags) { Answers = LanRecords.ToRecords(peer, "unused", 120) };

    private sealed class Capture
    {
        public LanDiscoveryOptions? Options { get; private set; }

        public LanAnnouncement? Self { get; private set; }

        public LanDiscovery? Discovery { get; private set; }

        public int Calls { get; private set; }

        /// <summary>A real discovery announcing what the node asked for, but socketless (<c>Enabled = false</c>).</summary>
        public LanDiscovery Create(LanDiscoveryOptions options, LanAnnouncement self)
        {
            Calls++;
            Options = options;
            Self = self;
            Discovery = new LanDiscovery(new LanDiscoveryOptions { Enabled = false, HostName = options.HostName, Ttl = options.Ttl }, self);
            return Discovery;
        }
    }

    private static Task<TestHost> StartMdnsNodeAsync(string id, Capture capture, double heartbeat = 60, double timeout = 120) =>
        SwarmHostTests.StartNodeAsync(id, heartbeat: heartbeat, timeout: timeout, configure: o =>
        {
            o.Mdns = true;
            o.Lan = new LanDiscoveryOptions { HostName = "here", Ttl = TimeSpan.FromSeconds(60) };
            o.LanFactory = capture.Create;
        });

    private static string[] Ids(TestHost node) => [.. node.Host.SwarmNode!.Membership.Peers.Select(p => p.Id).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Lan_peers_of_the_same_swarm_and_team_join_membership_and_others_do_not()
    {
        var capture = new Capture();
        await using var node = await StartMdnsNodeAsync("me", capture);
        var lan = capture.Discovery!;

        lan.Handle(Announce(Peer("stranger", swarm: "other")), null);
        lan.Handle(Announce(Peer("blue", team: "blue")), null);
        lan.Handle(Announce(Peer("teamless", team: null)), null);
        lan.Handle(Announce(Peer("me")), null);
        lan.Handle(Announce(Peer("friend", port: 4242)), null); // last: once it is in, the others were handled

        await Eventually.HoldsAsync(() => Ids(node).Length > 0, "the LAN peer joins membership");
        Assert.Equal(["friend"], Ids(node));
        var friend = node.Host.SwarmNode!.Membership.Peers.Single();
        Assert.Equal(("127.0.0.1", 4242, "lab", "default", "friend-name", SwarmPeerKinds.Node), (friend.Address, friend.Port, friend.Swarm, friend.Team, friend.Name, friend.Kind));
        Assert.Equal(["sum", "mul"], friend.Capabilities);
        Assert.Equal(4, lan.Peers.Count); // the discovery heard of all but itself; only the member joined the swarm
    }

    [Fact]
    public async Task The_node_never_adds_itself_or_an_invalid_peer_even_if_the_lan_yields_it()
    {
        var capture = new Capture();
        await using var node = await StartMdnsNodeAsync("me", capture);
        var swarm = node.Host.SwarmNode!;

        Assert.Null(swarm.AddLanPeer(Peer("me")));
        Assert.Null(swarm.AddLanPeer(Peer("odd") with { Kind = "weird" }));
        Assert.Null(swarm.AddLanPeer(Peer("portless", port: 0)));
        Assert.NotNull(swarm.AddLanPeer(Peer("ok")));
        Assert.Equal(["ok"], Ids(node));
    }

    [Fact]
    public async Task The_node_announces_its_id_name_kind_swarm_team_capabilities_and_port()
    {
        var capture = new Capture();
        await using var node = await StartMdnsNodeAsync("me", capture);
        var self = node.Host.SwarmNode!.Self;

        Assert.Equal(1, capture.Calls);
        Assert.True(capture.Options!.Enabled);
        Assert.Equal(("here", TimeSpan.FromSeconds(60)), (capture.Options.HostName, capture.Options.Ttl));
        var announced = capture.Self!;
        Assert.Equal(("me", "127.0.0.1", node.Port, "lab", "default", SwarmPeerKinds.Node), (announced.Id, announced.Address, announced.Port, announced.Swarm, announced.Team, announced.Kind));
        Assert.Equal(self.Name, announced.Name);
        Assert.NotEmpty(announced.Capabilities);
        Assert.Equal(self.Capabilities, announced.Capabilities);
    }

    [Fact]
    public async Task Mdns_is_off_by_default_and_then_no_discovery_exists()
    {
        Assert.False(new SwarmOptions().Mdns);
        var capture = new Capture();
        await using var node = await SwarmHostTests.StartNodeAsync("me", configure: o => o.LanFactory = capture.Create);

        Assert.Null(node.Host.SwarmNode!.Lan);
        Assert.Equal(0, capture.Calls);
    }

    [Fact]
    public async Task A_lan_peer_that_does_not_answer_heartbeats_is_reaped()
    {
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var capture = new Capture();
        await using var node = await StartMdnsNodeAsync("me", capture, heartbeat: 0.1, timeout: 0.6);
        var offline = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Host.SwarmNode!.Membership.PeerOffline += (_, e) => offline.TrySetResult(e.Peer.Id);

        capture.Discovery!.Handle(Announce(Peer("ghost", port: closedPort)), null);
        await Eventually.HoldsAsync(() => Ids(node).SequenceEqual(["ghost"]), "the LAN peer joins");

        Assert.Equal("ghost", await offline.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(Ids(node));
    }

    [Fact]
    public async Task A_lan_peer_that_answers_is_heartbeated_and_learns_the_node()
    {
        await using var other = await SwarmHostTests.StartNodeAsync("other", heartbeat: 0.1, timeout: 0.6);
        var capture = new Capture();
        await using var node = await StartMdnsNodeAsync("me", capture, heartbeat: 0.1, timeout: 0.6);

        capture.Discovery!.Handle(Announce(Peer("other", port: other.Port)), null);

        await Eventually.HoldsAsync(() => Ids(other).SequenceEqual(["me"]), "the discovered peer hears the node's heartbeat");
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // two peer timeouts: both stay, kept alive by heartbeats
        Assert.Equal(["other"], Ids(node));
        Assert.Equal(["me"], Ids(other));
    }

    [Fact]
    public async Task Stopping_the_node_disposes_its_discovery()
    {
        var capture = new Capture();
        var node = await StartMdnsNodeAsync("me", capture);
        var lan = capture.Discovery!;

        await node.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => lan.StartAsync());
        var left = new List<LanAnnouncement>();
        await foreach (var peer in lan.DiscoverAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            left.Add(peer);
        }

        Assert.Empty(left); // the stream ended: the discovery was disposed, not merely abandoned
    }

    [Fact]
    public async Task Lan_peers_are_bounded_but_known_ones_still_refresh()
    {
        var capture = new Capture();
        await using var node = await StartMdnsNodeAsync("me", capture);
        var swarm = node.Host.SwarmNode!;
        for (int i = 0; i < SwarmNode.MaxLanMembers; i++)
        {
            Assert.NotNull(swarm.AddLanPeer(Peer($"p{i}")));
        }

        Assert.Null(swarm.AddLanPeer(Peer("one-too-many")));
        Assert.Equal(4321, swarm.AddLanPeer(Peer("p0", port: 4321))!.Port);
        Assert.Equal(SwarmNode.MaxLanMembers, swarm.Membership.Peers.Count);
    }

    [Fact]
    public void The_announced_address_is_ipv4_and_never_the_wildcard()
    {
        Assert.Equal("10.1.2.3", SwarmNode.LanAddress("10.1.2.3", null));
        Assert.Equal("10.0.0.5", SwarmNode.LanAddress("0.0.0.0", IPAddress.Parse("10.0.0.5")));
        Assert.Equal("10.0.0.5", SwarmNode.LanAddress("box.example", IPAddress.Parse("10.0.0.5")));
        var routed = IPAddress.Parse(SwarmNode.LanAddress("0.0.0.0", null));
        Assert.Equal(AddressFamily.InterNetwork, routed.AddressFamily);
        Assert.NotEqual(IPAddress.Any, routed);
    }

    [Fact]
    public void Capabilities_are_cut_to_what_fits_in_one_txt_string()
    {
        var many = Enumerable.Range(0, 100).Select(i => $"capability{i:D3}").ToList();

        var fitting = SwarmNode.FittingCapabilities(many);

        Assert.InRange(("capabilities=" + string.Join(',', fitting)).Length, 240, 255);
        Assert.Equal(many.Take(fitting.Count), fitting);
        Assert.Equal(["a", "b"], SwarmNode.FittingCapabilities(["a", "b"]));
    }

    [Fact]
    public void Invalid_lan_settings_are_refused_when_mdns_is_on()
    {
        var options = new SwarmOptions { Mdns = true, Lan = new LanDiscoveryOptions { Ttl = TimeSpan.Zero } };
        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        options.Lan = new LanDiscoveryOptions { InterfaceAddress = IPAddress.IPv6Loopback };
        Assert.Throws<ArgumentException>(options.Validate);
        options.Mdns = false;
        options.Validate(); // off: the settings are not used
    }
}
