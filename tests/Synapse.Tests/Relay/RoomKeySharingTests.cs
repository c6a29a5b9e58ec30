using System.Collections.Concurrent;
using Synapse.Envelopes;
using Synapse.Relay;
using Synapse.Relay.Client;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay;

public sealed class RoomKeySharingTests
{
    [Fact]
    public async Task A_room_key_shared_in_direct_messages_lets_the_invited_agents_join_and_read_the_room()
    {
        var (relay, _) = await StartRelayAsync();
        await using var __ = relay;
        await using var alice = await Agent("alice", relay).StartAsync();
        await using var bob = await Agent("bob", relay).StartAsync();
        await using var carol = await Agent("carol", relay).StartAsync();
        var invitations = new ConcurrentQueue<RoomInvitation>();
        var joins = new ConcurrentQueue<Task>();
        foreach (var invited in new[] { bob, carol })
        {
            invited.Client.RoomInvitation += invitation =>
            {
                invitations.Enqueue(invitation);
                joins.Enqueue(invited.Client.JoinAsync(invitation.Room, invitation.Key));
            };
        }

        using var roomKey = EncryptionKeyPair.GenerateForTopic(alice.Identity, "deals");
        await alice.Client.JoinAsync("deals", roomKey).WaitAsync(TimeSpan.FromSeconds(20));
        alice.Client.ShareRoomKey(bob.Client.Certificate, roomKey);
        alice.Client.ShareRoomKey(carol.Client.Certificate, roomKey);
        await EventuallyAsync(() => invitations.Count == 2, "both invitations received");
        Assert.All(invitations, invitation => Assert.Equal(alice.Identity.Id, invitation.From));
        Assert.All(invitations, invitation => Assert.Equal("deals", invitation.Room));
        Assert.Empty(bob.Received); // an invitation is not an application message

        await Task.WhenAll(joins).WaitAsync(TimeSpan.FromSeconds(20));
        var id = alice.Client.Publish("deals", Utf8("welcome"));
        await alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(20));
        await EventuallyAsync(() => bob.Texts.Contains("welcome") && carol.Texts.Contains("welcome"), "the room message opened by both invited agents");
    }

    [Fact]
    public async Task Only_room_keys_can_be_shared()
    {
        var (relay, _) = await StartRelayAsync();
        await using var __ = relay;
        await using var alice = await Agent("alice", relay).StartAsync();
        await using var bob = await Agent("bob", relay).StartAsync();
        Assert.Throws<ArgumentException>(() => alice.Client.ShareRoomKey(bob.Client.Certificate, alice.EncryptionKey));
    }

    [Fact]
    public async Task A_malformed_room_key_is_dropped_and_the_agent_carries_on()
    {
        var (relay, _) = await StartRelayAsync();
        await using var __ = relay;
        await using var alice = await Agent("alice", relay).StartAsync();
        await using var bob = await Agent("bob", relay).StartAsync();
        var invited = 0;
        bob.Client.RoomInvitation += _ => Interlocked.Increment(ref invited);

        var forged = alice.Client.Send(bob.Client.Certificate, [.. "\0synapse-room-key-v1\0"u8, 0x81, 0xA3, (byte)'k', (byte)'e', (byte)'y', 0xC4, 0x01, 0x00]);
        var after = alice.Client.Send(bob.Client.Certificate, Utf8("still here"));
        await alice.Client.WaitAcknowledgedAsync(forged).WaitAsync(TimeSpan.FromSeconds(20));
        await alice.Client.WaitAcknowledgedAsync(after).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["still here"], bob.Texts);
        Assert.Equal(0, invited);
    }
}
