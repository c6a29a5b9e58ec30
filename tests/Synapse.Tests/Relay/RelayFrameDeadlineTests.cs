using System.Buffers.Binary;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.Server;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay;

/// <summary>
/// A frame (or Summoner line) must complete within a deadline counted from its first byte: trickling bytes does not
/// keep a link open, and what partial frames may hold is bounded relay-wide.
/// </summary>
public sealed class RelayFrameDeadlineTests
{
    private static readonly TimeSpan Trickle = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task A_secure_link_trickling_one_frame_is_closed_at_the_frame_deadline()
    {
        // The audit's attack: the idle timeout is short, and one byte at a time used to reset it forever.
        var frames = await TrickleAsync(Options(o => o with { Logger = Quiet, ClientTimeout = TimeSpan.FromSeconds(1) }));
        Assert.Equal("frame_timeout", Assert.Single(frames).Error);
    }

    [Fact]
    public async Task The_frame_timeout_applies_when_shorter_than_the_client_timeout()
    {
        var frames = await TrickleAsync(Options(o => o with { Logger = Quiet, ClientTimeout = TimeSpan.FromSeconds(60), FrameTimeout = TimeSpan.FromSeconds(1) }));
        var notice = Assert.Single(frames);
        Assert.Equal("frame_timeout", notice.Error);
        Assert.Contains("within 1 s of its first byte", notice.Message);
    }

    [Fact]
    public async Task Partial_frames_share_a_relay_wide_budget_and_the_link_past_it_is_closed()
    {
        // Each link holds 50,000 bytes of a 60,000-byte frame; the budget holds two of them, not three.
        var (relay, log) = await StartRelayAsync(Options(o => o with { MaxFrameBytes = 60_000, MaxPartialFrameBytes = 128 * 1024 }));
        await using var __ = relay;
        var partial = new byte[50_000];
        BinaryPrimitives.WriteUInt32BigEndian(partial, 60_000);
        var identities = Enumerable.Range(0, 4).Select(_ => AgentIdentity.Generate()).ToList();
        var links = new List<RawRelayPeer>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                links.Add(await RawRelayPeer.ConnectAsync(relay, identities[i]));
                await links[i].SendRawAsync(partial);
                var expected = (i + 1) * 50_000L;
                await EventuallyAsync(() => relay.PartialFrames.Held == expected, $"{expected} bytes held");
            }

            await using (var third = await RawRelayPeer.ConnectAsync(relay, identities[2]))
            {
                await third.SendRawAsync(partial);
                Assert.Equal("relay_busy", Assert.Single(await third.ReadToEndAsync()).Error);
            }

            Assert.Equal(100_000, relay.PartialFrames.Held);
            Assert.Contains("partial frames over budget", log.ToString());

            // The first two are still connected; when one leaves, its share is free for another link.
            await links[0].DisposeAsync();
            links.RemoveAt(0);
            await EventuallyAsync(() => relay.PartialFrames.Held == 50_000, "the closed link's share released");
            links.Add(await RawRelayPeer.ConnectAsync(relay, identities[3]));
            await links[^1].SendRawAsync(partial);
            await EventuallyAsync(() => relay.PartialFrames.Held == 100_000, "the new link holds its share");
        }
        finally
        {
            foreach (var link in links)
            {
                await link.DisposeAsync();
            }

            identities.ForEach(identity => identity.Dispose());
        }

        await EventuallyAsync(() => relay.PartialFrames.Held == 0, "nothing held once every link closed");
    }

    /// <summary>Trickles one byte of a frame every 100 ms until the relay closes the link (or the trickle ends); returns what the relay sent.</summary>
    private static async Task<List<RelayFrame>> TrickleAsync(RelayOptions options)
    {
        var (relay, _) = await StartRelayAsync(options);
        await using var __ = relay;
        using var alice = AgentIdentity.Generate();
        await using var raw = await RawRelayPeer.ConnectAsync(relay, alice);
        var reading = raw.ReadToEndAsync();

        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, 1000);
        var sent = 0;
        var until = DateTime.UtcNow + Trickle;
        while (!reading.IsCompleted && DateTime.UtcNow < until)
        {
            try
            {
                await raw.SendRawAsync(sent < header.Length ? [header[sent]] : [0x80]);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                break;
            }

            sent++;
            await Task.Delay(100);
        }

        Assert.True(reading.IsCompleted || await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5))) == reading,
            $"the link was still open after {sent} bytes trickled over {Trickle.TotalSeconds} s");
        Assert.True(DateTime.UtcNow < until, $"the link was closed only after the trickle stopped ({sent} bytes)");
        return await reading;
    }

    [Fact]
    public async Task A_summoner_client_trickling_one_line_is_closed_at_the_frame_deadline()
    {
        var (relay, _) = await StartRelayAsync(Options(o => o with
        {
            Logger = Quiet,
            ClientTimeout = TimeSpan.FromSeconds(1),
            Summoner = new SummonerListenerOptions { Enabled = true, Port = 0 },
        }));
        await using var __ = relay;
        await using var client = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        var reading = client.ReadToEndAsync(TimeSpan.FromSeconds(20));

        var until = DateTime.UtcNow + Trickle;
        while (!reading.IsCompleted && DateTime.UtcNow < until)
        {
            try
            {
                await client.SendAsync("x"u8.ToArray());
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(DateTime.UtcNow < until && await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5))) == reading,
            $"the connection was still open after a line trickled for {Trickle.TotalSeconds} s");
        var warning = Assert.Single(await reading);
        Assert.StartsWith("Warning: ", warning);
        Assert.Contains("did not complete", warning);
    }

    [Fact]
    public async Task A_slow_sender_whose_frames_each_complete_in_time_stays_connected()
    {
        var (relay, _) = await StartRelayAsync(Options(o => o with { Logger = Quiet, ClientTimeout = TimeSpan.FromSeconds(2) }));
        await using var __ = relay;
        using var alice = AgentIdentity.Generate();
        await using var raw = await RawRelayPeer.ConnectAsync(relay, alice);

        // Five frames, each cut in four pieces 200 ms apart: about 4 s in all, twice the timeout, every frame well within it.
        for (var i = 0; i < 5; i++)
        {
            var frame = new RelayFrame { Op = RelayOp.Join, Room = $"room-{i}" }.Encode();
            var piece = (frame.Length + 3) / 4;
            for (var at = 0; at < frame.Length; at += piece)
            {
                await raw.SendRawAsync(frame[at..Math.Min(frame.Length, at + piece)]);
                await Task.Delay(200);
            }

            var joined = await raw.ReadAsync(TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException("the relay closed the link");
            Assert.Equal((RelayOp.Joined, $"room-{i}"), (joined.Op, joined.Room));
        }
    }

    private static RelayLogOptions Quiet => new() { EnableConsoleLog = false };
}
