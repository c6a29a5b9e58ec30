using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Tests.Swarm;

/// <summary>The Peer map of synapse-p2p §1.6, both directions, and its refusals.</summary>
public sealed class SwarmPeerTests
{
    private static readonly SwarmPeer Worker = new("ab12", "127.0.0.1", 9001)
    {
        Swarm = "lab", Team = "default", Name = "worker", Kind = "node", Capabilities = ["code-review"], LastSeen = 1700000000.5,
    };

    [Fact]
    public void Encodes_the_nine_keys_in_python_order_with_a_float_last_seen()
    {
        var map = Worker.ToMsgPack().AsMap();
        var bytes = Worker.ToMsgPack().ToBytes();

        Assert.Equal(["id", "address", "port", "swarm", "team", "name", "kind", "capabilities", "last_seen"], map.Select(e => e.Key.AsString()));
        Assert.Equal(0x89, bytes[0]);
        Assert.Equal(MsgPackType.Float, map[8].Value.Type);
        Assert.False(map[8].Value.IsFloat32);
        Assert.Equal([0xcb], bytes.AsSpan(bytes.Length - 9, 1).ToArray());
    }

    [Fact]
    public void Round_trips()
    {
        var decoded = SwarmPeer.FromMsgPack(MsgPackValue.Parse(Worker.ToMsgPack().ToBytes()));

        Assert.Equal(Worker.ToMsgPack(), decoded.ToMsgPack());
        Assert.Equal(["code-review"], decoded.Capabilities);
    }

    [Fact]
    public void A_last_seen_beyond_the_range_of_long_is_still_a_number()
    {
        var peer = SwarmPeer.FromMsgPack(MsgPackValue.ParseJson("""{"id":"x","address":"h","port":1,"last_seen":14782801505148166514}"""));

        Assert.Equal(14782801505148166514d, peer.LastSeen);
    }

    [Fact]
    public void Decodes_a_minimal_peer_with_python_defaults()
    {
        var peer = SwarmPeer.FromMsgPack(MsgPackValue.ParseJson("""{"port":1,"address":"h","id":"x"}"""));

        Assert.Equal(("x", "h", 1), (peer.Id, peer.Address, peer.Port));
        Assert.Null(peer.Team);
        Assert.Equal("node", peer.Kind);
    }

    [Theory]
    [InlineData("""{"id":"x","address":"h","port":1,"extra":1}""", "Peer.__init__() got an unexpected keyword argument 'extra'")]
    [InlineData("""{"id":"x","address":"h","port":1,"kind":"weird"}""", "'weird' is not a valid NodeKind")]
    [InlineData("""{"id":"x"}""", "Peer.__init__() missing 2 required positional arguments: 'address' and 'port'")]
    [InlineData("""{"id":"x","address":"h","port":14782801505148166514}""", "Peer port must be an integer from 0 to 65535")] // fuzz finding: an overflow, not a refusal
    public void Refuses_what_python_refuses(string json, string message)
    {
        var error = Assert.Throws<SwarmPeerFormatException>(() => SwarmPeer.FromMsgPack(MsgPackValue.ParseJson(json)));

        Assert.Equal(message, error.Message);
    }
}
