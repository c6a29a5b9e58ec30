using System.Text.Json;
using Synapse.Cli.Swarm;
using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Cli.Tests;

/// <summary><c>synapse swarm watch</c>: peers joining and leaving, heartbeats and conversation events, as lines or a table.</summary>
public sealed class SwarmWatchCommandTests
{
    [Fact]
    public async Task Watch_with_json_prints_peers_joining_and_leaving_and_conversation_events_until_ctrl_c()
    {
        await using var seed = await SwarmNodes.StartAsync("seed");
        await using var watch = Cli.Start("swarm", "watch", $"127.0.0.1:{seed.Port}", "--json", "--heartbeat", "0.2", "--peer-timeout", "1.5", "--show-heartbeats");

        var joined = JsonDocument.Parse(await watch.WaitForLineAsync("\"event\":\"joined\"")).RootElement;
        Assert.Equal(("lab", "default", $"127.0.0.1:{seed.Port}", "synapse-cli"), (joined.GetProperty("swarm").GetString(), joined.GetProperty("team").GetString(), joined.GetProperty("seed").GetString(), joined.GetProperty("self").GetProperty("name").GetString()));
        await watch.WaitForLineAsync("""{"event":"peer.online","time":""");
        Assert.Contains("\"id\":\"seed\"", await watch.WaitForLineAsync("\"event\":\"peer.online\""), StringComparison.Ordinal);
        Assert.Contains("\"id\":\"seed\"", await watch.WaitForLineAsync("\"event\":\"peer.heartbeat\""), StringComparison.Ordinal);

        var second = await SwarmNodes.StartAsync("second", seed.Port);
        await watch.WaitForLineAsync("\"id\":\"second\"");
        await seed.SwarmNode!.EmitAsync("conv-1", "note", MsgPackValue.Map(("text", "hello")));
        var note = JsonDocument.Parse(await watch.WaitForLineAsync("\"event\":\"conversation\"")).RootElement;
        Assert.Equal(("conv-1", "note", "seed", """{"text":"hello"}"""), (note.GetProperty("conversation").GetString(), note.GetProperty("kind").GetString(), note.GetProperty("peer").GetProperty("id").GetString(), note.GetProperty("payload").GetRawText()));

        await second.DisposeAsync(); // silent from now on: dropped after --peer-timeout
        var offline = await watch.WaitForLineAsync("\"event\":\"peer.offline\"");
        Assert.Contains("\"id\":\"second\"", offline, StringComparison.Ordinal);
        await watch.Stop.CancelAsync();
        var result = await watch.ResultAsync();

        Assert.Equal((0, ""), (result.ExitCode, result.Stderr));
        var kinds = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()).ToArray();
        Assert.Equal("joined", kinds[0]);
        Assert.Equal(["conversation", "joined", "peer.heartbeat", "peer.offline", "peer.online"], kinds.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Watch_prints_lines_for_people_when_not_on_a_terminal_and_stops_after_seconds()
    {
        await using var seed = await SwarmNodes.StartAsync("seed");
        await using var watch = Cli.Start("swarm", "watch", $"127.0.0.1:{seed.Port}", "--seconds", "3");

        await watch.WaitForLineAsync("peer online");
        await seed.SwarmNode!.EmitAsync("conv-2", "note", MsgPackValue.Map(("text", "hi")));
        var result = await watch.ResultAsync();

        Assert.Equal((0, ""), (result.ExitCode, result.Stderr));
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^joined swarm 'lab', team 'default' through 127\.0\.0\.1:\d+ as synapse-cli \([0-9a-f]{8}\)$", lines[0]);
        Assert.Matches($@"^\d\d:\d\d:\d\d peer online   cli-swarm \(seed\) at 127\.0\.0\.1:{seed.Port}$", lines[1]);
        Assert.Matches("""^\d\d:\d\d:\d\d conversation conv-2 note from cli-swarm \(seed\): \{"text":"hi"\}$""", lines[2]);
        Assert.DoesNotContain(lines, l => l.Contains("heartbeat", StringComparison.Ordinal)); // only with --show-heartbeats
    }

    [Fact]
    public async Task The_table_lists_peers_and_conversations_and_redraws_in_place()
    {
        await using var seed = await SwarmNodes.StartAsync("seed");
        var settings = new SwarmMemberSettings(new NodeAddress("127.0.0.1", seed.Port), null, null, "synapse-cli", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20));
        await using var member = await SwarmMember.JoinAsync(settings, CancellationToken.None);
        await seed.SwarmNode!.EmitAsync("conv-3", "note", MsgPackValue.Map(("text", "hi")));
        await Poll.UntilAsync(() => Task.FromResult(member.Node.Conversations.ConversationIds.Count), n => n == 1, TimeSpan.FromSeconds(10));
        var table = new SwarmWatchTable(member);
        using var feed = new SwarmWatchFeed(member.Node, heartbeats: false);
        while (feed.Events.TryRead(out var change))
        {
            table.Add(change);
        }

        var lines = table.Lines(member.Node.Membership.Now).ToArray();
        var first = table.Frame(200);
        var second = table.Frame(20);

        Assert.StartsWith($"swarm 'lab'  team 'default'  through 127.0.0.1:{seed.Port}  1 peer(s)  1 conversation(s)  ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("PEER  NAME       ADDRESS", lines[2], StringComparison.Ordinal);
        Assert.Matches($@"^seed  cli-swarm  127\.0\.0\.1:{seed.Port}  node  \ds ago  synapse\.message,synapse\.shout$", lines[3]);
        Assert.Equal("CONVERSATION  EVENTS  LAST  FROM              WHEN", lines[5]);
        Assert.Matches(@"^conv-3        1       note  cli-swarm \(seed\)  \ds ago$", lines[6]);
        Assert.Equal("RECENT", lines[8]);
        Assert.StartsWith("\u001b[2J\u001b[H", first, StringComparison.Ordinal);
        Assert.StartsWith("\u001b[Hswarm 'lab'  team 'd\u001b[K\n", second, StringComparison.Ordinal); // cut at the width, home without clearing
        Assert.EndsWith("\u001b[J", second, StringComparison.Ordinal);
    }
}
