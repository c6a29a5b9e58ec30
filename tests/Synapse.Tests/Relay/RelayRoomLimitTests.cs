using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.Server;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay;

/// <summary>Rooms are bounded: empty rooms go, a link holds a bounded number, joins take rate-limit tokens.</summary>
public sealed class RelayRoomLimitTests
{
    [Fact]
    public async Task Joining_and_leaving_many_rooms_leaves_no_room_behind()
    {
        // The audit's attack: join-and-leave pairs used to leave an empty room each behind.
        var (relay, _) = await StartRelayAsync(Options(o => o with { Logger = Quiet, RateLimitMessagesPerMinute = 600_000 }));
        await using var __ = relay;
        using var alice = AgentIdentity.Generate();
        await using (var raw = await RawRelayPeer.ConnectAsync(relay, alice))
        {
            for (var i = 0; i < 2000; i++)
            {
                await raw.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = $"room-{i}" });
                await raw.SendAsync(new RelayFrame { Op = RelayOp.Leave, Room = $"room-{i}" });
            }

            await raw.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = "kept" });
            while ((await raw.ReadUntilAsync(RelayOp.Joined)).Room != "kept")
            {
            }

            Assert.Equal(1, relay.Router.Rooms.Count); // frames are handled in order: every pair before it is done
        }

        await EventuallyAsync(() => relay.Router.Rooms.Count == 0, "the closed link's last room is gone");
    }

    [Fact]
    public async Task A_client_whose_join_is_refused_hears_why_and_does_not_join_it_again()
    {
        var (relay, _) = await StartRelayAsync(Options(o => o with { Logger = Quiet, MaxRoomsPerLink = 1 }));
        await using var __ = relay;
        await using var alice = await Agent("alice", relay).StartAsync();
        using var first = Synapse.Envelopes.EncryptionKeyPair.GenerateForTopic(alice.Identity, "first");
        using var second = Synapse.Envelopes.EncryptionKeyPair.GenerateForTopic(alice.Identity, "second");
        await alice.Client.JoinAsync("first", first).WaitAsync(TimeSpan.FromSeconds(20));

        var refused = await Assert.ThrowsAsync<Synapse.Relay.Client.RelayRefusedException>(() => alice.Client.JoinAsync("second", second).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(("too_many_rooms", "second"), (refused.Code, refused.Room));
        Assert.Contains("max_rooms_per_link", refused.Message);
        Assert.Throws<InvalidOperationException>(() => alice.Client.Publish("second", [1])); // not a member: not joined again on reconnect either
    }

    [Fact]
    public async Task A_link_in_as_many_rooms_as_allowed_is_refused_another_with_too_many_rooms()
    {
        var (relay, _) = await StartRelayAsync(Options(o => o with { Logger = Quiet, MaxRoomsPerLink = 3 }));
        await using var __ = relay;
        using var alice = AgentIdentity.Generate();
        await using var raw = await RawRelayPeer.ConnectAsync(relay, alice);
        foreach (var room in new[] { "a", "b", "c" })
        {
            await raw.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = room });
            Assert.Equal(room, (await raw.ReadUntilAsync(RelayOp.Joined)).Room);
        }

        await raw.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = "d" });
        var refused = await raw.ReadAsync() ?? throw new InvalidOperationException("the relay closed the link");
        Assert.Equal((RelayOp.Nack, "too_many_rooms", "d", false), (refused.Op, refused.Error, refused.Room, refused.Retry));
        Assert.Contains("max_rooms_per_link", refused.Message);

        // Joining a room it is in takes no more room; leaving one makes room for another.
        await raw.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = "a" });
        Assert.Equal("a", (await raw.ReadUntilAsync(RelayOp.Joined)).Room);
        await raw.SendAsync(new RelayFrame { Op = RelayOp.Leave, Room = "a" });
        await raw.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = "d" });
        Assert.Equal("d", (await raw.ReadUntilAsync(RelayOp.Joined)).Room);
        Assert.Equal(3, relay.Router.Rooms.Count);
    }

    [Fact]
    public async Task Joins_take_rate_limit_tokens_and_wait_for_one_when_none_is_left()
    {
        // 60 a minute: a burst of 10, then one a second on the relay's (manual) clock.
        var clock = new ManualTimers();
        var options = Options(o => o with { Logger = Quiet, RateLimitMessagesPerMinute = 60 });
        var log = new StringWriter();
        await using var relay = new RelayServer(options, time: clock, log: new RelayLog("synapse.relay", options.Logger, TextWriter.Synchronized(log)));
        await relay.StartAsync();
        clock.Advance(TimeSpan.FromMinutes(1)); // off zero, where the once-a-second notice would count as just sent
        using var alice = AgentIdentity.Generate();
        await using var raw = await RawRelayPeer.ConnectAsync(relay, alice);
        for (var i = 0; i < 13; i++)
        {
            await raw.SendAsync(new RelayFrame { Op = RelayOp.Join, Room = $"room-{i}" });
        }

        var joined = 0;
        while (joined < 10)
        {
            var frame = await raw.ReadAsync() ?? throw new InvalidOperationException("the relay closed the link");
            joined += frame.Op == RelayOp.Joined ? 1 : 0;
        }

        var waiting = await raw.ReadAsync() ?? throw new InvalidOperationException("the relay closed the link");
        Assert.Equal((RelayOp.Notice, "rate_limited"), (waiting.Op, waiting.Error));
        Assert.Null(await ReadOrNullAsync(raw, TimeSpan.FromMilliseconds(500))); // the eleventh waits: the clock has not moved

        // Each second on the clock is one more token: three joins need at least three; none is lost, all in order.
        var seconds = 0;
        var next = 10;
        while (next < 13)
        {
            Assert.True(++seconds <= 20, $"only {next} of 13 joins after {seconds} s on the clock");
            clock.Advance(TimeSpan.FromSeconds(1));
            while (await ReadOrNullAsync(raw, TimeSpan.FromMilliseconds(300)) is { } frame)
            {
                if (frame.Op == RelayOp.Joined)
                {
                    Assert.Equal($"room-{next++}", frame.Room);
                }
            }
        }

        Assert.True(seconds >= 3, $"three joins past the burst were answered within {seconds} s");
        Assert.Equal(13, relay.Router.Rooms.Count);
    }

    /// <summary>The next frame, or null when none comes within <paramref name="wait"/>.</summary>
    private static async Task<RelayFrame?> ReadOrNullAsync(RawRelayPeer raw, TimeSpan wait)
    {
        try
        {
            return await raw.ReadAsync(wait);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static RelayLogOptions Quiet => new() { EnableConsoleLog = false };
}
