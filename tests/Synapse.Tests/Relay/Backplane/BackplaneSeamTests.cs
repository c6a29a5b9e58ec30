using System.Collections.Concurrent;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Backplane;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.Server;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay.Backplane;

/// <summary>What the relay does with a backplane's answers, with a backplane the test answers for (no broker).</summary>
public sealed class BackplaneSeamTests
{
    [Theory]
    [InlineData(BackplaneStatus.Stored, RelayOp.Ack, null)]
    [InlineData(BackplaneStatus.Full, RelayOp.Nack, "mailbox_full")]
    [InlineData(BackplaneStatus.Unavailable, RelayOp.Nack, "backplane_unavailable")]
    public async Task The_sender_hears_back_only_when_the_broker_has_answered(BackplaneStatus answer, RelayOp expected, string? code)
    {
        var backplane = new HeldBackplane();
        await using var relay = await StartAsync(backplane, Options());
        using var alice = AgentIdentity.Generate();
        using var bob = AgentIdentity.Generate();
        using var bobKey = EncryptionKeyPair.Derive(bob);
        await using var peer = await RawRelayPeer.ConnectAsync(relay, alice);
        var envelope = EnvelopeSealer.Seal(alice, bobKey.Certificate, Utf8("hi"));

        await peer.SendAsync(new RelayFrame { Op = RelayOp.Send, Envelope = envelope.Encode() });
        var stored = await backplane.Stores.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(bob.Id.ToString(), stored.Recipient);
        Assert.Equal(envelope.MessageId, stored.MessageId);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => peer.ReadAsync(TimeSpan.FromMilliseconds(300))); // nothing before the broker answers

        stored.Answer.SetResult(answer);
        var reply = await peer.ReadAsync() ?? throw new InvalidOperationException("the relay closed the link");
        Assert.Equal(expected, reply.Op);
        Assert.Equal(envelope.MessageId, reply.MessageId);
        Assert.Equal(code, reply.Error);
        Assert.Equal(code is not null, reply.Retry);
        Assert.Empty(relay.StoredMail()); // the relay kept nothing itself
    }

    [Fact]
    public async Task A_backplane_that_throws_makes_the_sender_retry_and_is_logged()
    {
        var backplane = new HeldBackplane();
        var options = Options();
        var log = new StringWriter();
        await using var relay = new RelayServer(options, log: new RelayLog("synapse.relay", options.Logger, TextWriter.Synchronized(log)), backplane: backplane);
        await relay.StartAsync();
        using var alice = AgentIdentity.Generate();
        using var bob = AgentIdentity.Generate();
        using var bobKey = EncryptionKeyPair.Derive(bob);
        await using var peer = await RawRelayPeer.ConnectAsync(relay, alice);

        await peer.SendAsync(new RelayFrame { Op = RelayOp.Send, Envelope = EnvelopeSealer.Seal(alice, bobKey.Certificate, Utf8("hi")).Encode() });
        var stored = await backplane.Stores.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        stored.Answer.SetException(new InvalidOperationException("broken on purpose"));

        var reply = await peer.ReadUntilAsync(RelayOp.Nack);
        Assert.Equal("backplane_unavailable", reply.Error);
        Assert.True(reply.Retry);
        await EventuallyAsync(() => log.ToString().Contains("broken on purpose"), "the log says why");
    }

    [Fact]
    public async Task A_backplane_that_throws_while_a_link_registers_closes_that_link_with_a_notice_and_leaks_nothing()
    {
        var backplane = new HeldBackplane { MailboxFailures = 1 };
        var options = Options();
        var log = new StringWriter();
        await using var relay = new RelayServer(options, log: new RelayLog("synapse.relay", options.Logger, TextWriter.Synchronized(log)), backplane: backplane);
        await relay.StartAsync();
        using var alice = AgentIdentity.Generate();

        await using (var first = await RawRelayPeer.ConnectAsync(relay, alice))
        {
            var notice = Assert.Single(await first.ReadToEndAsync());
            Assert.Equal((RelayOp.Notice, "internal_error"), (notice.Op, notice.Error));
        }

        Assert.Contains("link failed", log.ToString());
        Assert.Contains("InvalidOperationException: the broker's channel is closed", log.ToString());
        await EventuallyAsync(() => relay.OpenLinks == 0, "the failed link is forgotten");

        // The relay goes on serving: the same agent registers once the backplane works again.
        await using var second = await RawRelayPeer.ConnectAsync(relay, alice);
        await second.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = "r" });
        Assert.Equal("r", (await second.ReadUntilAsync(RelayOp.Joined)).Room);
        await EventuallyAsync(() => relay.OpenLinks == 1, "the new link is open");
    }

    [Fact]
    public async Task Sends_the_broker_has_not_confirmed_count_toward_the_senders_backpressure()
    {
        var backplane = new HeldBackplane();
        var options = Options(o => o with { Backpressure = new BackpressurePolicy { ThrottleThreshold = 5, FlowControlThreshold = 1000, DisconnectThreshold = 2000 } });
        await using var relay = await StartAsync(backplane, options);
        using var alice = AgentIdentity.Generate();
        using var bob = AgentIdentity.Generate();
        using var bobKey = EncryptionKeyPair.Derive(bob);
        await using var peer = await RawRelayPeer.ConnectAsync(relay, alice);
        for (var i = 0; i < 10; i++)
        {
            await peer.SendAsync(new RelayFrame { Op = RelayOp.Send, Envelope = EnvelopeSealer.Seal(alice, bobKey.Certificate, Utf8($"m{i}")).Encode() });
        }

        var notice = await peer.ReadUntilAsync(RelayOp.Notice);
        Assert.Equal("throttled", notice.Error);
    }

    [Fact]
    public async Task The_relay_counts_what_its_backplane_took_refused_and_received_and_knows_when_it_is_down()
    {
        var backplane = new HeldBackplane();
        await using var relay = await StartAsync(backplane, Options());
        using var alice = AgentIdentity.Generate();
        using var bob = AgentIdentity.Generate();
        using var bobKey = EncryptionKeyPair.Derive(bob);
        await using var peer = await RawRelayPeer.ConnectAsync(relay, alice);
        Assert.True(relay.Statistics.BackplaneAvailable);

        foreach (var answer in new[] { BackplaneStatus.Stored, BackplaneStatus.Unavailable, BackplaneStatus.Stored })
        {
            await peer.SendAsync(new RelayFrame { Op = RelayOp.Send, Envelope = EnvelopeSealer.Seal(alice, bobKey.Certificate, Utf8("hi")).Encode() });
            (await backplane.Stores.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20))).Answer.SetResult(answer);
            _ = await peer.ReadAsync();
        }

        backplane.Host!.DeliverToRoom("lobby", bob.Id.ToString(), new byte[] { 1 });
        backplane.Host.StateChanged(false, "connection to the broker lost");

        Assert.Equal((2, 1, 1), (relay.Statistics.BackplaneHandedOver, relay.Statistics.BackplaneRefused, relay.Statistics.BackplaneReceived));
        Assert.False(relay.Statistics.BackplaneAvailable);
        backplane.Host.StateChanged(true, "reconnected");
        Assert.True(relay.Statistics.BackplaneAvailable);
    }

    [Fact]
    public async Task A_relay_without_a_backplane_reports_none()
    {
        await using var relay = new RelayServer(Options());
        await relay.StartAsync();

        Assert.Null(relay.Statistics.BackplaneAvailable);
    }

    private static async Task<RelayServer> StartAsync(HeldBackplane backplane, RelayOptions options)
    {
        var relay = new RelayServer(options, backplane: backplane);
        await relay.StartAsync();
        return relay;
    }

    /// <summary>Holds every store until the test answers it.</summary>
    private sealed class HeldBackplane : IRelayBackplane
    {
        public System.Threading.Channels.Channel<HeldStore> Stores { get; } = System.Threading.Channels.Channel.CreateUnbounded<HeldStore>();

        public IRelayBackplaneHost? Host { get; private set; }

        public Task StartAsync(IRelayBackplaneHost host, CancellationToken cancellationToken)
        {
            Host = host;
            return Task.CompletedTask;
        }

        public Task StopAsync() => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public ValueTask<BackplaneStatus> StoreDirectAsync(string recipient, string sender, Guid messageId, ReadOnlyMemory<byte> deliverFrame)
        {
            var held = new HeldStore(recipient, messageId, new TaskCompletionSource<BackplaneStatus>(TaskCreationOptions.RunContinuationsAsynchronously));
            Stores.Writer.TryWrite(held);
            return new(held.Answer.Task);
        }

        public int MailboxFailures { get; set; }

        public IBackplaneMailbox OpenMailbox(string agent, Action<BackplaneDelivery> deliver) =>
            MailboxFailures-- > 0 ? throw new InvalidOperationException("the broker's channel is closed") : new NoMailbox();

        public ValueTask<BackplaneStatus> PublishToRoomAsync(string room, string sender, Guid messageId, ReadOnlyMemory<byte> deliverFrame) => new(BackplaneStatus.Stored);

        public Task RoomMembershipChanged(string room) => Task.CompletedTask;

        public void CardStored(ReadOnlyMemory<byte> encodedCard)
        {
        }
    }

    private sealed record HeldStore(string Recipient, Guid MessageId, TaskCompletionSource<BackplaneStatus> Answer);

    private sealed class NoMailbox : IBackplaneMailbox
    {
        public IReadOnlyList<BackplaneDelivery> Confirm(IEnumerable<Guid> messageIds) => [];

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
