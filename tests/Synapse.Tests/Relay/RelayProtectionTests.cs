using System.Buffers.Binary;
using System.Net;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay;

public sealed class RelayProtectionTests
{
    [Fact]
    public async Task Messages_over_the_rate_limit_are_refused_with_retry_and_a_notice()
    {
        var (relay, _) = await StartRelayAsync(new RelayOptions { Host = "127.0.0.1", Port = 0, Logger = QuietLog, RateLimitMessagesPerMinute = 60 });
        await using var __ = relay;
        await using var bob = await Agent("bob", relay).StartAsync();
        using var alice = AgentIdentity.Generate();
        await using var raw = await RawRelayPeer.ConnectAsync(relay, alice);
        for (var i = 0; i < 30; i++)
        {
            await raw.SendAsync(new RelayFrame { Op = RelayOp.Send, Envelope = EnvelopeSealer.Seal(alice, bob.Client.Certificate, Utf8($"m{i}")).Encode() });
        }

        var frames = new List<RelayFrame>();
        while (frames.Sum(f => f.Op is RelayOp.Ack or RelayOp.Nack ? f.AllMessageIds().Count() : 0) < 30) // acks may come batched
        {
            frames.Add(await raw.ReadAsync() ?? throw new InvalidOperationException("closed"));
        }

        var refused = frames.Where(f => f.Op == RelayOp.Nack).ToList();
        Assert.InRange(refused.Count, 15, 20); // a burst of 10, then roughly one a second
        Assert.All(refused, f => Assert.True(f.Error == "rate_limited" && f.Retry));
        Assert.Contains(frames, f => f.Op == RelayOp.Notice && f.Error == "rate_limited");
        Assert.Equal(30 - refused.Count, bob.Received.Count);
    }

    [Fact]
    public async Task A_frame_over_the_limit_closes_the_link_with_a_notice()
    {
        var (relay, log) = await StartRelayAsync(new RelayOptions { Host = "127.0.0.1", Port = 0, Logger = DebugLog, MaxFrameBytes = 4096 });
        await using var __ = relay;
        using var alice = AgentIdentity.Generate();
        await using var raw = await RawRelayPeer.ConnectAsync(relay, alice);
        var oversized = new byte[4 + 5000];
        BinaryPrimitives.WriteUInt32BigEndian(oversized, 5000);
        await raw.SendRawAsync(oversized);
        var frames = await raw.ReadToEndAsync();
        var notice = Assert.Single(frames);
        Assert.Equal("frame_too_large", notice.Error);
        Assert.Contains("5000", notice.Message);
        Assert.Contains("protocol violation", log.ToString());
    }

    [Fact]
    public async Task An_idle_link_is_closed_with_a_notice()
    {
        var (relay, _) = await StartRelayAsync(new RelayOptions { Host = "127.0.0.1", Port = 0, Logger = QuietLog, ClientTimeout = TimeSpan.FromSeconds(1) });
        await using var __ = relay;
        using var alice = AgentIdentity.Generate();
        await using var raw = await RawRelayPeer.ConnectAsync(relay, alice);
        var frames = await raw.ReadToEndAsync();
        Assert.Equal("idle_timeout", Assert.Single(frames).Error);
    }

    [Fact]
    public async Task A_frame_that_is_not_a_relay_frame_closes_the_link_naming_the_problem()
    {
        var (relay, _) = await StartRelayAsync(new RelayOptions { Host = "127.0.0.1", Port = 0, Logger = QuietLog });
        await using var __ = relay;
        using var alice = AgentIdentity.Generate();
        await using var raw = await RawRelayPeer.ConnectAsync(relay, alice);
        await raw.SendRawAsync([0, 0, 0, 1, 0x93]); // a frame holding an array header, not a map
        var notice = Assert.Single(await raw.ReadToEndAsync());
        Assert.Equal("protocol_error", notice.Error);
        Assert.Contains("map", notice.Message);
    }

    [Fact]
    public async Task A_flooder_is_throttled_then_flow_controlled_then_disconnected_and_quarantined_while_others_keep_receiving()
    {
        var options = new RelayOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            Logger = QuietLog,
            RateLimitMessagesPerMinute = 1_000_000,
            ThrottleDelay = TimeSpan.FromMilliseconds(5),
            FlowControlDelay = TimeSpan.FromMilliseconds(50),
            QuarantineCooldown = TimeSpan.FromMinutes(5),
            Backpressure = FloodPolicy,
        };
        var (relay, _) = await StartRelayAsync(options);
        await using var __ = relay;
        var attestations = new System.Collections.Concurrent.ConcurrentQueue<Synapse.Reputation.QuarantineAttestation>();
        relay.QuarantineAttested += attestations.Enqueue;
        await using var alice = await Agent("alice", relay).StartAsync();
        await using var bob = await Agent("bob", relay).StartAsync();
        using var flooderIdentity = AgentIdentity.Generate();
        using var stuckIdentity = AgentIdentity.Generate();
        using var roomKey = EncryptionKeyPair.GenerateForTopic(flooderIdentity, "flood");
        await alice.Client.JoinAsync("flood", roomKey).WaitAsync(TimeSpan.FromSeconds(20));
        await bob.Client.JoinAsync("flood", roomKey).WaitAsync(TimeSpan.FromSeconds(20));

        // A member that never reads: the flooder's messages pile up in its queue.
        await using var stuck = await RawRelayPeer.ConnectAsync(relay, stuckIdentity);
        await stuck.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = "flood" });
        await using var flooder = await RawRelayPeer.ConnectAsync(relay, flooderIdentity, IPAddress.Parse("127.0.0.2"));
        await flooder.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = "flood" });
        await flooder.ReadUntilAsync(RelayOp.Joined);

        using var stopFlooding = new CancellationTokenSource();
        var payload = new byte[32 * 1024];
        var flooding = Task.Run(async () =>
        {
            try
            {
                while (!stopFlooding.IsCancellationRequested)
                {
                    await flooder.SendAsync(new RelayFrame { Op = RelayOp.Send, Envelope = EnvelopeSealer.Seal(flooderIdentity, roomKey.Certificate, payload).Encode() });
                }
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
            }
        });

        // Meanwhile the well-behaved agents talk directly; every message must arrive.
        var sentByAlice = new List<Guid>();
        var sentByBob = new List<Guid>();
        var notices = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await flooder.ReadAsync(TimeSpan.FromSeconds(60)) is { } frame)
            {
                if (frame.Op == RelayOp.Notice)
                {
                    lock (notices)
                    {
                        notices.Add(frame.Error!);
                    }
                }
            }
        });
        for (var i = 0; !reading.IsCompleted && i < 2000; i++)
        {
            sentByAlice.Add(alice.Client.Send(bob.Client.Certificate, Utf8($"a{i}")));
            sentByBob.Add(bob.Client.Send(alice.Client.Certificate, Utf8($"b{i}")));
            await Task.Delay(10);
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(60));
        stopFlooding.Cancel();
        await flooding.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["throttled", "flow_controlled", "quarantined"], notices.Distinct());

        foreach (var id in sentByAlice)
        {
            await alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
        }

        foreach (var id in sentByBob)
        {
            await bob.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
        }

        var fromAlice = bob.Received.Where(m => m.Room is null).Select(m => System.Text.Encoding.UTF8.GetString(m.Payload.Span)).ToList();
        var fromBob = alice.Received.Where(m => m.Room is null).Select(m => System.Text.Encoding.UTF8.GetString(m.Payload.Span)).ToList();
        Assert.Equal(sentByAlice.Count, fromAlice.Count);
        Assert.Equal(sentByBob.Count, fromBob.Count);
        Assert.True(bob.Received.Any(m => m.Room == "flood"), "the well-behaved members also received the room's traffic");
        Assert.Equal(1, relay.Statistics.Quarantined);
        var attestation = Synapse.Reputation.QuarantineAttestation.Decode(Assert.Single(attestations).Encoded.Span);
        Assert.True(attestation.VerifySignature());
        Assert.Equal((relay.Id, flooderIdentity.Id), (attestation.Relay, attestation.Subject));
        Assert.Equal(TimeSpan.FromMinutes(5), attestation.Until - attestation.From);

        // Quarantined by identity: the same key from another address is turned away after its handshake.
        await using (var sameKey = await RawRelayPeer.ConnectAsync(relay, flooderIdentity, IPAddress.Parse("127.0.0.3")))
        {
            Assert.Equal("quarantined", Assert.Single(await sameKey.ReadToEndAsync()).Error);
        }

        // Quarantined by address: a new key from the same address does not even get a handshake.
        using var fresh = AgentIdentity.Generate();
        await Assert.ThrowsAnyAsync<Exception>(() => RawRelayPeer.ConnectAsync(relay, fresh, IPAddress.Parse("127.0.0.2")));
    }

    private static RelayLogOptions QuietLog => new() { EnableConsoleLog = false };

    private static RelayLogOptions DebugLog => new() { LogLevel = RelayLogLevel.Debug, EnableConsoleLog = true };
}
