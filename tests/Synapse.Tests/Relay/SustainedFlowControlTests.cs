using System.Net;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.Server;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay;

/// <summary>
/// A flooder that keeps the relay in flow control without reaching the disconnect threshold (the audit's finding 4):
/// past <c>max_flow_control_secs</c> it is quarantined, and the quarantine holds whatever it reconnects with.
/// </summary>
public sealed class SustainedFlowControlTests
{
    private static readonly IPAddress FlooderAddress = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress OtherAddress = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task A_sender_held_in_flow_control_past_the_limit_is_quarantined_below_the_disconnect_threshold()
    {
        var (relay, log) = await StartRelayAsync(Options(quarantineByAddress: true));
        await using var __ = relay;
        using var flooderIdentity = AgentIdentity.Generate();
        await using var flood = await FloodScene.StartAsync(relay, flooderIdentity);

        var started = DateTime.UtcNow;
        var notices = await flood.FloodUntilClosedAsync();

        Assert.Equal(["throttled", "flow_controlled", "quarantined"], notices.Distinct());
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1), "quarantined only once the flow-control limit had passed");
        Assert.Equal(1, relay.Statistics.Quarantined);
        Assert.Contains("held in flow control for over 1 s", log.ToString()); // not the (unreachable) disconnect threshold
    }

    [Fact]
    public async Task With_quarantine_by_address_every_reconnect_of_the_flooder_is_refused_but_an_unrelated_newcomer_is_not()
    {
        var (relay, _) = await StartRelayAsync(Options(quarantineByAddress: true));
        await using var __ = relay;
        using var flooderIdentity = AgentIdentity.Generate();
        await using (var flood = await FloodScene.StartAsync(relay, flooderIdentity))
        {
            Assert.Contains("quarantined", await flood.FloodUntilClosedAsync());
        }

        // Same identity, same address, new port: the address is refused before any handshake.
        await Assert.ThrowsAnyAsync<Exception>(() => RawRelayPeer.ConnectAsync(relay, flooderIdentity, FlooderAddress));

        // Same identity from a new address: turned away after the handshake, by identity.
        await using (var moved = await RawRelayPeer.ConnectAsync(relay, flooderIdentity, OtherAddress))
        {
            Assert.Equal("quarantined", Assert.Single(await moved.ReadToEndAsync()).Error);
        }

        // A new identity from the same address: refused before any handshake (identities cost nothing to make).
        using var fresh = AgentIdentity.Generate();
        await Assert.ThrowsAnyAsync<Exception>(() => RawRelayPeer.ConnectAsync(relay, fresh, FlooderAddress));

        // A new identity from another address shares nothing with the flooder and is let in.
        await using var newcomer = await RawRelayPeer.ConnectAsync(relay, fresh, OtherAddress);
        await newcomer.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = "after" });
        Assert.Equal("after", (await newcomer.ReadUntilAsync(RelayOp.Joined)).Room);
    }

    [Fact]
    public async Task Without_quarantine_by_address_the_flooders_identity_stays_out_from_any_address_while_a_new_identity_may_use_its_address()
    {
        var (relay, _) = await StartRelayAsync(Options(quarantineByAddress: false));
        await using var __ = relay;
        using var flooderIdentity = AgentIdentity.Generate();
        await using (var flood = await FloodScene.StartAsync(relay, flooderIdentity))
        {
            Assert.Contains("quarantined", await flood.FloodUntilClosedAsync());
        }

        foreach (var address in new[] { FlooderAddress, OtherAddress })
        {
            await using var again = await RawRelayPeer.ConnectAsync(relay, flooderIdentity, address);
            Assert.Equal("quarantined", Assert.Single(await again.ReadToEndAsync()).Error);
        }

        using var fresh = AgentIdentity.Generate();
        await using var neighbour = await RawRelayPeer.ConnectAsync(relay, fresh, FlooderAddress);
        await neighbour.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = "after" });
        Assert.Equal("after", (await neighbour.ReadUntilAsync(RelayOp.Joined)).Room);
    }

    [Fact]
    public async Task Flow_control_that_drains_each_time_restarts_the_clock_and_is_never_quarantined()
    {
        var (relay, _) = await StartRelayAsync(Options(quarantineByAddress: true));
        await using var __ = relay;
        using var senderIdentity = AgentIdentity.Generate();
        await using var scene = await FloodScene.StartAsync(relay, senderIdentity);

        // Bursts that each reach flow control and then drain, for well over the one-second limit in all.
        var started = DateTime.UtcNow;
        var bursts = 0;
        while (DateTime.UtcNow - started < TimeSpan.FromSeconds(3) || bursts < 3)
        {
            await scene.BurstToFlowControlAsync();
            await scene.DrainStuckMemberAsync();
            bursts++;
        }

        Assert.Equal(0, relay.Statistics.Quarantined);
        Assert.All(scene.NoticesPerBurst, notices => Assert.Contains("flow_controlled", notices));
    }

    private static BackpressurePolicy Policy => FloodPolicy with
    {
        DisconnectThresholdBytes = 1L << 40, // out of reach: only the time in flow control can disconnect
        MaxFlowControl = TimeSpan.FromSeconds(1),
    };

    private static RelayOptions Options(bool quarantineByAddress) => new()
    {
        Host = "127.0.0.1",
        Port = 0,
        Logger = new RelayLogOptions { LogLevel = RelayLogLevel.Info, EnableConsoleLog = true },
        RateLimitMessagesPerMinute = 1_000_000,
        ThrottleDelay = TimeSpan.FromMilliseconds(5),
        FlowControlDelay = TimeSpan.FromMilliseconds(50),
        QuarantineCooldown = TimeSpan.FromMinutes(5),
        QuarantineByAddress = quarantineByAddress,
        MaxQueueBytesPerClient = 1L << 30,
        Backpressure = Policy,
    };

    /// <summary>A room with a member that reads only when told, and a sender (from 127.0.0.2) that floods it.</summary>
    private sealed class FloodScene : IAsyncDisposable
    {
        private static readonly byte[] Payload = new byte[32 * 1024];
        private readonly AgentIdentity _sender;
        private readonly EncryptionKeyPair _roomKey;
        private readonly RawRelayPeer _stuck;
        private readonly RawRelayPeer _flooder;
        private long _sent;
        private long _drained;
        private Task _sending = Task.CompletedTask;

        private FloodScene(AgentIdentity sender, EncryptionKeyPair roomKey, RawRelayPeer stuck, RawRelayPeer flooder)
        {
            (_sender, _roomKey, _stuck, _flooder) = (sender, roomKey, stuck, flooder);
        }

        public List<List<string>> NoticesPerBurst { get; } = [];

        public static async Task<FloodScene> StartAsync(RelayServer relay, AgentIdentity sender)
        {
            var roomKey = EncryptionKeyPair.GenerateForTopic(sender, "flood");
            using var stuckIdentity = AgentIdentity.Generate();
            var stuck = await RawRelayPeer.ConnectAsync(relay, stuckIdentity);
            await stuck.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = "flood" });
            await stuck.ReadUntilAsync(RelayOp.Joined);
            var flooder = await RawRelayPeer.ConnectAsync(relay, sender, FlooderAddress);
            await flooder.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = "flood" });
            await flooder.ReadUntilAsync(RelayOp.Joined);
            return new FloodScene(sender, roomKey, stuck, flooder);
        }

        /// <summary>Sends without pause until the relay closes the link (failing after 30 s); returns the notices it sent.</summary>
        public async Task<List<string>> FloodUntilClosedAsync()
        {
            using var stop = new CancellationTokenSource();
            var flooding = SendUntilAsync(stop.Token);
            var notices = new List<string>();
            var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (await _flooder.ReadAsync(TimeSpan.FromSeconds(30)) is { } frame)
            {
                if (frame.Op == RelayOp.Notice)
                {
                    notices.Add(frame.Error!);
                }

                Assert.True(DateTime.UtcNow < giveUp, $"the flooder was still connected after 30 s, told only: {string.Join(", ", notices.Distinct())}");
            }

            await stop.CancelAsync();
            await flooding.WaitAsync(TimeSpan.FromSeconds(20));
            return notices;
        }

        /// <summary>Sends until the relay says the sender is flow-controlled, then stops (a write the relay has not yet
        /// read completes while the stuck member drains).</summary>
        public async Task BurstToFlowControlAsync()
        {
            using var stop = new CancellationTokenSource();
            _sending = SendUntilAsync(stop.Token);
            var notices = new List<string>();
            while (!notices.Contains("flow_controlled"))
            {
                var frame = await _flooder.ReadAsync(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException($"the relay closed the sender's link after {string.Join(", ", notices)}");
                if (frame.Op == RelayOp.Notice)
                {
                    notices.Add(frame.Error!);
                }
            }

            await stop.CancelAsync();
            NoticesPerBurst.Add(notices);
        }

        /// <summary>The stuck member reads everything sent so far, then one more message proves the queues drained.</summary>
        public async Task DrainStuckMemberAsync()
        {
            while (!_sending.IsCompleted || _drained < Interlocked.Read(ref _sent))
            {
                await ReadDeliveryAsync();
            }

            await _sending;
            await SendOneAsync();
            await ReadDeliveryAsync();
        }

        private async Task ReadDeliveryAsync()
        {
            while ((await _stuck.ReadAsync(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("the relay closed the stuck member's link")).Op != RelayOp.Deliver)
            {
            }

            _drained++;
        }

        private async Task SendUntilAsync(CancellationToken stop)
        {
            await Task.Yield();
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await SendOneAsync();
                }
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
            }
        }

        private async Task SendOneAsync()
        {
            await _flooder.SendAsync(new RelayFrame { Op = RelayOp.Send, Envelope = EnvelopeSealer.Seal(_sender, _roomKey.Certificate, Payload).Encode() });
            Interlocked.Increment(ref _sent);
        }

        public async ValueTask DisposeAsync()
        {
            await _flooder.DisposeAsync();
            await _stuck.DisposeAsync();
            _roomKey.Dispose();
        }
    }
}
