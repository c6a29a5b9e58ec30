using Synapse.MessagePack;
using Synapse.Swarm;
using Synapse.Tests.Rpc;
using Synapse.Tests.Swarm;

namespace Synapse.Tests.Interop;

/// <summary>A C# node and a synapse-p2p v2 Python node (written from the spec) in one swarm, each as the other's seed.</summary>
public sealed class PythonSwarmInteropTests
{
    private static string[] Ids(TestHost node) => [.. node.Host.SwarmNode!.Membership.Peers.Select(p => p.Id)];

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_python_node_joins_a_csharp_seed_and_both_heartbeat()
    {
        await using var seed = await SwarmHostTests.StartNodeAsync("csharp-seed", heartbeat: 0.2, timeout: 3);
        await using var python = await PythonSwarmNode.StartAsync("lab", seed.Port, interval: 0.2, timeout: 3);

        await Eventually.HoldsAsync(() => Ids(seed).SequenceEqual([python.Id]), "the C# seed knows the Python node");
        Assert.Equal(["csharp-seed"], await python.PeerIdsAsync());
        var seenByCSharp = seed.Host.SwarmNode!.Membership.Peers.Single().LastSeen;
        var seenByPython = (await python.LastSeenAsync("csharp-seed"))!.Value;
        await Eventually.HoldsAsync(() => seed.Host.SwarmNode!.Membership.Peers.Single().LastSeen > seenByCSharp, "the Python node heartbeats the C# seed");
        await EventuallyAsync(async () => await python.LastSeenAsync("csharp-seed") > seenByPython, "the C# seed heartbeats the Python node");
    }

    [Fact]
    public async Task A_csharp_node_joins_a_python_seed_and_stays_in_its_table()
    {
        await using var python = await PythonSwarmNode.StartAsync("lab", null, interval: 0.2, timeout: 1);
        await using var node = await SwarmHostTests.StartNodeAsync("csharp", $"127.0.0.1:{python.Port}", heartbeat: 0.2, timeout: 3);

        await node.Host.SwarmNode!.Joined.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([python.Id], Ids(node));
        Assert.Equal(["csharp"], await python.PeerIdsAsync());
        var seen = (await python.LastSeenAsync("csharp"))!.Value;
        await EventuallyAsync(async () => await python.LastSeenAsync("csharp") > seen + 1.2, "the Python seed still lists the C# node past its peer timeout");
    }

    [Fact]
    public async Task A_swarm_ask_from_python_gets_the_ack_then_the_reply()
    {
        await using var worker = await SwarmHostTests.StartNodeAsync("csharp-worker", heartbeat: 0.2, timeout: 3, withTaskHandler: true);
        await using var python = await PythonSwarmNode.StartAsync("lab", worker.Port, interval: 0.2, timeout: 3);

        var ask = await python.CommandAsync("ask " + worker.Port + " review PR 1");
        var nonce = ask.GetProperty("nonce").GetString()!;

        Assert.True(ask.GetProperty("answer").GetProperty("accepted").GetBoolean());
        Assert.True(ask.GetProperty("answer").GetProperty("deferred").GetBoolean());
        await EventuallyAsync(async () => (await python.CommandAsync("conversation " + nonce)).EnumerateArray().Select(k => k.GetString()).SequenceEqual(["message", "ack", "reply"]), "the Python asker has message, ack, reply");
    }

    [Fact]
    public async Task A_csharp_ask_collects_the_replies_of_a_python_peer_and_a_csharp_peer()
    {
        // Peers are reaped after 10 s of silence, not 3: nothing here waits on reaping, and a loaded machine can miss beats.
        await using var asker = await SwarmHostTests.StartNodeAsync("csharp-asker", heartbeat: 0.2, timeout: 10);
        await using var python = await PythonSwarmNode.StartAsync("lab", asker.Port, interval: 0.2, timeout: 10);
        await using var worker = await SwarmHostTests.StartNodeAsync("csharp-worker", $"127.0.0.1:{asker.Port}", heartbeat: 0.2, timeout: 10, withTaskHandler: true);
        await Eventually.HoldsAsync(() => Ids(asker).Order(StringComparer.Ordinal).SequenceEqual(new[] { python.Id, "csharp-worker" }.Order(StringComparer.Ordinal)), "the asker knows both peers");
        var options = new SwarmAskOptions { Timeout = TimeSpan.FromSeconds(15), Context = MsgPackValue.ParseJson("""{"url":"x"}""") };

        var result = await asker.Host.SwarmNode!.AskAsync("review PR 1", options);

        Assert.True(result.IsComplete);
        var fromPython = result.Answers.Single(a => a.Peer.Id == python.Id);
        Assert.Equal((SwarmAskOutcome.Replied, true), (fromPython.Outcome, fromPython.Acknowledged));
        Assert.Equal(MsgPackValue.ParseJson("""{"answer":"python did review PR 1","context":{"url":"x"}}"""), fromPython.Result);
        var fromCSharp = result.Answers.Single(a => a.Peer.Id == "csharp-worker");
        Assert.Equal((SwarmAskOutcome.Replied, true, "review PR 1"), (fromCSharp.Outcome, fromCSharp.Acknowledged, fromCSharp.Result!.AsString()));
        var seenByPython = (await python.CommandAsync("conversation " + result.Nonce)).EnumerateArray().Select(k => k.GetString()).ToList();
        Assert.Equal("message", seenByPython[0]);
        Assert.Contains("ack", seenByPython);
        Assert.Contains("reply", seenByPython);
    }

    [Fact]
    public async Task A_csharp_ask_names_a_silent_python_peer_and_reports_a_failing_ones_error()
    {
        await using var asker = await SwarmHostTests.StartNodeAsync("csharp-asker", heartbeat: 0.2, timeout: 3);
        await using var silent = await PythonSwarmNode.StartAsync("lab", asker.Port, interval: 0.2, timeout: 3);
        await using var failing = await PythonSwarmNode.StartAsync("lab", asker.Port, interval: 0.2, timeout: 3);
        await silent.CommandAsync("mode silent");
        await failing.CommandAsync("mode fail");
        await Eventually.HoldsAsync(() => Ids(asker).Length == 2, "the asker knows both peers");

        var result = await asker.Host.SwarmNode!.AskAsync("review PR 2", new SwarmAskOptions { Timeout = TimeSpan.FromSeconds(3) });

        Assert.Equal([silent.Id], result.TimedOut.Select(p => p.Id));
        Assert.True(result.Answers.Single(a => a.Peer.Id == silent.Id).Acknowledged);
        var failed = result.Answers.Single(a => a.Peer.Id == failing.Id);
        Assert.Equal((SwarmAskOutcome.Failed, true, "python could not do review PR 2"), (failed.Outcome, failed.Acknowledged, failed.Error));
        Assert.Empty(result.Replies);
    }
}
