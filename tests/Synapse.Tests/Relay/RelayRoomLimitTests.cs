using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Configuration;
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

    private static RelayLogOptions Quiet => new() { EnableConsoleLog = false };
}
