using System.Text;
using Synapse.Envelopes;
using Synapse.Relay;
using Synapse.Relay.Client;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay;

public sealed class RelayRoutingTests
{
    private const string Marker = "PLAINTEXT-MARKER-7f3a9c";

    [Fact]
    public async Task Direct_and_room_messages_reach_only_their_recipients_and_the_relay_never_holds_plaintext()
    {
        var (relay, log) = await StartRelayAsync();
        await using var _ = relay;
        await using var alice = await Agent("alice", relay).StartAsync();
        await using var bob = await Agent("bob", relay).StartAsync();
        await using var carol = await Agent("carol", relay).StartAsync();

        // Direct: Alice to Bob; Carol must see nothing of it.
        var direct = alice.Client.Send(bob.Client.Certificate, Utf8($"{Marker} for bob"));
        await alice.Client.WaitAcknowledgedAsync(direct).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([$"{Marker} for bob"], bob.Texts);
        Assert.Equal(alice.Identity.Id, Assert.Single(bob.Received).Sender);

        // Room: everyone joins with the shared room key; a publication reaches the other two only.
        using var roomKey = EncryptionKeyPair.GenerateForTopic(alice.Identity, "deals");
        foreach (var agent in new[] { alice, bob, carol })
        {
            await agent.Client.JoinAsync("deals", roomKey).WaitAsync(TimeSpan.FromSeconds(20));
        }

        var published = carol.Client.Publish("deals", Utf8($"{Marker} to the room"));
        await carol.Client.WaitAcknowledgedAsync(published).WaitAsync(TimeSpan.FromSeconds(20));
        await EventuallyAsync(() => alice.Received.Count == 1 && bob.Received.Count == 2, "room delivery");
        Assert.Equal("deals", alice.Received.Single().Room);
        Assert.Empty(carol.Received);

        // Bob goes offline: mail waits at the relay, sealed, and arrives in order when he is back.
        var bobIdentity = bob.Identity;
        await bob.Client.DisposeAsync();
        var offline = Enumerable.Range(0, 5).Select(i => alice.Client.Send(bob.Client.Certificate, Utf8($"{Marker} offline {i}"))).ToList();
        await EventuallyAsync(() => relay.StoredMail().Count() == 5, "mail stored for the offline recipient");
        var stored = relay.StoredMail().SelectMany(item => item.Frame).ToArray();

        await using var bobAgain = await new TestAgent("bob", [new RelayEndpoint(relay.LocalEndPoint, relay.Id)], null, AgentIdentityCopy(bobIdentity)).StartAsync();
        foreach (var id in offline)
        {
            await alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(20));
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{Marker} offline {i}"), bobAgain.Texts);
        await EventuallyAsync(() => !relay.StoredMail().Any(), "delivered mail removed from the relay");

        var marker = Encoding.UTF8.GetBytes(Marker);
        Assert.True(stored.AsSpan().IndexOf(marker) < 0, "the relay stored a plaintext payload");
        Assert.DoesNotContain(Marker, log.ToString());
        Assert.Contains("routed", log.ToString()); // the log did record the routing itself
    }

    [Fact]
    public async Task Publishing_to_a_room_not_joined_is_refused_with_a_reason()
    {
        var (relay, _) = await StartRelayAsync();
        await using var __ = relay;
        await using var alice = await Agent("alice", relay).StartAsync();
        using var roomKey = EncryptionKeyPair.GenerateForTopic(alice.Identity, "closed");
        var envelope = EnvelopeSealer.Seal(alice.Identity, roomKey.Certificate, Utf8("hello"));
        await using var raw = await RawRelayPeer.ConnectAsync(relay, alice.Identity);
        await raw.SendAsync(new RelayFrame { Op = RelayOp.Send, Envelope = envelope.Encode() });
        var nack = await raw.ReadUntilAsync(RelayOp.Nack);
        Assert.Equal("not_a_member", nack.Error);
        Assert.Equal(envelope.MessageId, nack.MessageId);
        Assert.False(nack.Retry);
    }

    [Fact]
    public async Task An_envelope_signed_by_another_agent_than_the_link_is_refused_as_forged()
    {
        var (relay, _) = await StartRelayAsync();
        await using var __ = relay;
        await using var bob = await Agent("bob", relay).StartAsync();
        using var mallory = Synapse.Identity.AgentIdentity.Generate();
        using var alice = Synapse.Identity.AgentIdentity.Generate();
        var envelope = EnvelopeSealer.Seal(alice, bob.Client.Certificate, Utf8("pretending to be alice"));
        await using var raw = await RawRelayPeer.ConnectAsync(relay, mallory);
        await raw.SendAsync(new RelayFrame { Op = RelayOp.Send, Envelope = envelope.Encode() });
        Assert.Equal("forged_sender", (await raw.ReadUntilAsync(RelayOp.Nack)).Error);
        Assert.Empty(relay.StoredMail());
        Assert.Empty(bob.Received);
    }

    [Fact]
    public async Task A_retransmitted_message_reaches_the_handler_once()
    {
        var (relay, _) = await StartRelayAsync();
        await using var __ = relay;
        await using var bob = await Agent("bob", relay).StartAsync();
        using var alice = Synapse.Identity.AgentIdentity.Generate();
        var envelope = EnvelopeSealer.Seal(alice, bob.Client.Certificate, Utf8("once"));
        await using var raw = await RawRelayPeer.ConnectAsync(relay, alice);
        for (var i = 0; i < 3; i++)
        {
            await raw.SendAsync(new RelayFrame { Op = RelayOp.Send, Envelope = envelope.Encode() });
            Assert.Equal(envelope.MessageId, (await raw.ReadUntilAsync(RelayOp.Ack)).MessageId);
        }

        Assert.Equal(["once"], bob.Texts);
    }

    [Fact]
    public async Task A_handler_that_throws_is_isolated_and_later_messages_still_arrive()
    {
        var (relay, _) = await StartRelayAsync();
        await using var __ = relay;
        await using var alice = await Agent("alice", relay).StartAsync();
        await using var bob = Agent("bob", relay);
        var calls = 0;
        bob.Client.OnMessage((_, _) => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("handler bug") : ValueTask.CompletedTask);
        await bob.StartAsync();
        var first = alice.Client.Send(bob.Client.Certificate, Utf8("first"));
        var second = alice.Client.Send(bob.Client.Certificate, Utf8("second"));
        await alice.Client.WaitAcknowledgedAsync(first).WaitAsync(TimeSpan.FromSeconds(20));
        await alice.Client.WaitAcknowledgedAsync(second).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["first", "second"], bob.Texts);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Mail_not_collected_within_its_time_to_live_is_dropped_and_the_sender_told()
    {
        var (relay, _) = await StartRelayAsync(Options(o => o with { Mailbox = o.Mailbox with { TimeToLive = TimeSpan.FromSeconds(1) } }));
        await using var __ = relay;
        await using var alice = await Agent("alice", relay).StartAsync();
        using var absent = Synapse.Identity.AgentIdentity.Generate();
        using var absentKey = EncryptionKeyPair.Derive(absent);
        var id = alice.Client.Send(absentKey.Certificate, Utf8("nobody home"));
        var refused = await Assert.ThrowsAsync<RelayRefusedException>(() => alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal("expired", refused.Code);
        Assert.Empty(relay.StoredMail());
        Assert.Equal(0, alice.Client.PendingCount);
    }

    [Fact]
    public async Task A_full_mailbox_refuses_with_retry_and_the_outbox_delivers_once_there_is_room()
    {
        var (relay, _) = await StartRelayAsync(Options(o => o with { Mailbox = o.Mailbox with { MaxMessages = 2 } }));
        await using var __ = relay;
        await using var alice = await Agent("alice", relay).StartAsync();
        await using var bob = Agent("bob", relay);
        var ids = Enumerable.Range(0, 4).Select(i => alice.Client.Send(bob.Client.Certificate, Utf8($"m{i}"))).ToList();
        await EventuallyAsync(() => relay.Statistics.Refused >= 2, "mailbox_full refusals");
        Assert.Equal(4, alice.Client.PendingCount);

        await bob.StartAsync();
        foreach (var id in ids)
        {
            await alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(["m0", "m1", "m2", "m3"], bob.Texts.Order());
    }

    [Fact]
    public async Task Mail_for_many_recipients_is_bounded_by_the_relay_total_and_accepted_again_as_it_drains()
    {
        // Each of these fits its own mailbox; together they would pass the relay's total of about two messages.
        var (relay, log) = await StartRelayAsync(Options(o => o with { Mailbox = o.Mailbox with { MaxBytes = 4096, MaxTotalBytes = 4096 } }));
        await using var __ = relay;
        await using var alice = await Agent("alice", relay).StartAsync();
        var recipients = Enumerable.Range(0, 3).Select(i => Agent($"r{i}", relay)).ToList();
        var ids = recipients.Select(r => alice.Client.Send(r.Client.Certificate, new byte[1200])).ToList();
        await EventuallyAsync(() => log.ToString().Contains("relay_full"), "the third message is refused: relay_full");
        Assert.Equal(2, relay.StoredMail().Count());
        Assert.True(relay.Mail.StoredBytes <= 4096);

        var refused = ids.Single(id => relay.StoredMail().All(m => m.MessageId != id));
        var firstStored = ids.First(id => id != refused);
        var drained = recipients[ids.IndexOf(firstStored)];
        await drained.StartAsync(); // drains one mailbox: room for the refused message, which alice's outbox retries
        await alice.Client.WaitAcknowledgedAsync(firstStored).WaitAsync(TimeSpan.FromSeconds(30));
        await EventuallyAsync(() => relay.StoredMail().Any(m => m.MessageId == refused), "the refused message is stored on retry");
        Assert.Equal(2, relay.StoredMail().Count());
        foreach (var recipient in recipients)
        {
            await recipient.DisposeAsync();
        }
    }

    private static Synapse.Identity.AgentIdentity AgentIdentityCopy(Synapse.Identity.AgentIdentity identity) =>
        Synapse.Identity.AgentIdentity.FromSeed(identity.Seed);
}
