using Synapse.Discovery;
using Synapse.Discovery.Kademlia;
using Synapse.Identity;

namespace Synapse.Tests.Discovery;

public class KademliaTests
{
    /// <summary>An id whose key is all zero but for its first two bytes.</summary>
    private static AgentId Id(byte first, byte second = 0)
    {
        byte[] key = new byte[32];
        key[0] = first;
        key[1] = second;
        return AgentId.FromPublicKey(key);
    }

    [Fact]
    public void Distance_is_the_xor_of_the_keys_compared_as_a_big_endian_number()
    {
        XorDistance d = XorDistance.Between(Id(0b1010_0000), Id(0b0110_0000, 0xFF));
        Assert.Equal(0b1100_0000, d.Bytes[0]);
        Assert.Equal(0xFF, d.Bytes[1]);
        Assert.Equal(0, d.CommonPrefixLength);
        Assert.Equal(d, XorDistance.Between(Id(0b0110_0000, 0xFF), Id(0b1010_0000)));
        Assert.Equal(XorDistance.Bits, XorDistance.Between(Id(7), Id(7)).CommonPrefixLength);
        Assert.Equal(15, XorDistance.Between(Id(0, 0), Id(0, 1)).CommonPrefixLength);
        Assert.Equal(3, XorDistance.Between(Id(0b0001_0000), Id(0)).CommonPrefixLength);

        // 0x01 00.. is closer to 0 than 0x00 FF.. is not: the first differing byte decides.
        Assert.True(XorDistance.Between(Id(0, 0xFF), Id(0)) < XorDistance.Between(Id(1), Id(0)));
        Assert.True(XorDistance.CompareDistance(Id(0), Id(0, 0xFF), Id(1)) < 0);
        Assert.True(XorDistance.CompareDistance(Id(0xFF), Id(0, 0xFF), Id(1)) > 0);
        Assert.Equal(0, XorDistance.CompareDistance(Id(3), Id(9), Id(9)));
    }

    [Fact]
    public void The_home_relay_is_the_xor_closest_and_does_not_depend_on_the_order()
    {
        AgentId[] relays = [Id(0b1000_0000), Id(0b0100_0000), Id(0b0000_0001), Id(0b0000_0011)];
        Assert.Equal(Id(0b0000_0001), HomeRelay.Pick(Id(0), relays));
        Assert.Equal(Id(0b0000_0011), HomeRelay.Pick(Id(0b0000_0010), relays));
        Assert.Equal(Id(0b1000_0000), HomeRelay.Pick(Id(0b1111_1111), relays));
        Assert.Equal(Id(0b0100_0000), HomeRelay.Pick(Id(0b0111_0000), relays.Reverse()));

        for (int i = 0; i < 20; i++)
        {
            using AgentIdentity agent = AgentIdentity.Generate();
            AgentId expected = relays.OrderBy(r => XorDistance.Between(agent.Id, r)).First();
            Assert.Equal(expected, HomeRelay.Pick(agent.Id, relays));
            Assert.Equal(expected, HomeRelay.Pick(agent.Id, relays.Reverse()));
        }

        RelayAddress[] addresses = [new("a:1", Id(0b1000_0000)), new("b:1", Id(0b0000_0001))];
        Assert.Equal("b:1", HomeRelay.Pick(Id(0), addresses, r => r.RelayId).Endpoint);
        Assert.Throws<ArgumentException>(() => HomeRelay.Pick(Id(0), []));
        Assert.Throws<ArgumentException>(() => HomeRelay.Pick(Id(0), [new RelayAddress("x:1")], r => r.RelayId));
    }

    [Fact]
    public void Peers_go_to_the_bucket_of_their_common_prefix_length()
    {
        var table = new RoutingTable(Id(0));
        Assert.Equal(0, table.BucketIndex(Id(0x80)));
        Assert.Equal(7, table.BucketIndex(Id(0x01)));
        Assert.Equal(15, table.BucketIndex(Id(0, 1)));
        Assert.Equal(RoutingUpdate.Self, table.Observe(Id(0)));
        Assert.Equal(RoutingUpdate.Added, table.Observe(Id(0x01)));
        Assert.Equal([Id(0x01)], table.Bucket(7));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_full_bucket_keeps_its_old_peers_and_a_seen_peer_moves_to_the_end()
    {
        var table = new RoutingTable(Id(0), bucketSize: 3);
        // All of 0x80..0xFF share no prefix with 0: bucket 0.
        Assert.Equal(RoutingUpdate.Added, table.Observe(Id(0x80)));
        Assert.Equal(RoutingUpdate.Added, table.Observe(Id(0x81)));
        Assert.Equal(RoutingUpdate.Added, table.Observe(Id(0x82)));
        Assert.Equal(RoutingUpdate.BucketFull, table.Observe(Id(0x83)));
        Assert.False(table.Contains(Id(0x83)));
        Assert.Equal(Id(0x80), table.LeastRecentlySeen(Id(0x83)));

        Assert.Equal(RoutingUpdate.Refreshed, table.Observe(Id(0x80)));
        Assert.Equal([Id(0x81), Id(0x82), Id(0x80)], table.Bucket(0));

        // The caller found 0x81 gone: it makes room, and the newcomer fits.
        Assert.True(table.Remove(Id(0x81)));
        Assert.Equal(RoutingUpdate.Added, table.Observe(Id(0x83)));
        Assert.Equal([Id(0x82), Id(0x80), Id(0x83)], table.Bucket(0));
        Assert.Equal(3, table.Count);

        // Another bucket is not affected by bucket 0 being full.
        Assert.Equal(RoutingUpdate.Added, table.Observe(Id(0x40)));
        Assert.Equal(4, table.Count);
    }

    [Fact]
    public void Closest_returns_known_peers_in_xor_order()
    {
        var table = new RoutingTable(Id(0));
        foreach (byte b in (byte[])[0x80, 0x40, 0x20, 0x21, 0x01])
        {
            table.Observe(Id(b));
        }

        Assert.Equal([Id(0x20), Id(0x21), Id(0x01)], table.Closest(Id(0x20), 3));
        Assert.Equal([Id(0x01), Id(0x20), Id(0x21), Id(0x40), Id(0x80)], table.Closest(Id(0), 10));
    }
}
