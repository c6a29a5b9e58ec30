using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Tests.Swarm;

/// <summary>Compaction into one <c>summary</c> event, shaped as synapse-p2p shapes it, on request and past a size.</summary>
public sealed class SwarmCompactionTests
{
    private static readonly SwarmPeer Ann = new("ann-id", "127.0.0.1", 1) { Swarm = "lab", Team = "default", Name = "ann" };
    private static readonly SwarmPeer Nameless = new("bob-id", "127.0.0.1", 2) { Swarm = "lab", Team = "default" };

    [Fact]
    public async Task Older_events_fold_into_one_summary_after_the_head_and_before_the_newest()
    {
        await using var host = await SwarmHostTests.StartNodeAsync("compactor", heartbeat: 60, timeout: 120);
        var node = host.Host.SwarmNode!;
        var events = Conversation("talk", 12);
        foreach (var e in events)
        {
            node.Conversations.TryAdd(e);
        }

        var summary = await node.CompactConversationAsync("talk", keepRecent: 3);

        Assert.NotNull(summary);
        Assert.Equal(SwarmSummaries.SummaryKind, summary.Kind);
        Assert.Equal(64, summary.EventId.Length);
        Assert.Equal(events[0].EventId, summary.ParentId);
        Assert.Equal(events[8].CreatedAt, summary.CreatedAt);
        Assert.Equal(["summary", "compacted_events", "from", "until"], summary.Payload.AsMap().Select(e => e.Key.AsString()));
        Assert.Equal(8, summary.Payload["compacted_events"]!.AsInt64());
        Assert.Equal(events[1].CreatedAt, summary.Payload["from"]!.AsDouble());
        Assert.Equal(events[8].CreatedAt, summary.Payload["until"]!.AsDouble());
        Assert.Equal([events[0].EventId, summary.EventId, events[9].EventId, events[10].EventId, events[11].EventId], node.Conversations.Get("talk").Select(e => e.EventId));
        Assert.False(node.Conversations.TryAdd(events[4])); // gossip cannot bring a folded event back
    }

    [Fact]
    public async Task The_default_summary_is_the_text_synapse_p2p_writes_for_the_same_events()
    {
        var events = Conversation("talk", 50);
        events.Insert(3, SwarmConversationEvent.Create("talk", SwarmSummaries.SummaryKind, Ann, MsgPackValue.Map([("summary", "(2 ack)\nann [ack]: {}")]), null, 3.5));
        events.Add(SwarmConversationEvent.Create("talk", "note", Nameless, MsgPackValue.Map(
        [
            ("text", "naïve \"quoted\" " + new string('x', 300)),
            ("blob", MsgPackValue.From(new byte[] { 0, 39, 92, 200 })),
            ("n", MsgPackValue.FromArray([1, 2.5, 1e-7, MsgPackValue.Nil, true])),
            ("nested", MsgPackValue.Map([("z", 1), ("a", 2)])),
        ]), null, 99));

        var ours = await SwarmSummaries.DefaultAsync(events);
        var python = await PythonPeer.SummarizeAsync(MsgPackValue.FromArray(events.Select(e => e.ToMsgPack())).ToBytes());

        Assert.Equal(python, ours);
        Assert.StartsWith("(8 ack, 35 message, 1 note, 7 reply, 1 summary)\n", ours);
    }

    [Fact]
    public async Task A_conversation_past_its_size_is_compacted_by_itself_with_the_apps_summariser()
    {
        await using var host = await SwarmHostTests.StartNodeAsync("auto", heartbeat: 60, timeout: 120, configure: o =>
        {
            o.CompactAfter = 10;
            o.ConversationKeepRecent = 3;
            o.Summarizer = (events, _) => ValueTask.FromResult($"{events.Count} events, briefly");
        });
        var node = host.Host.SwarmNode!;
        var compacted = new TaskCompletionSource<SwarmConversationEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.ConversationCompacted += (_, summary) => compacted.TrySetResult(summary);

        foreach (var e in Conversation("long", 11))
        {
            node.Conversations.TryAdd(e);
        }

        var summary = await compacted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("7 events, briefly", summary.Payload["summary"]!.AsString());
        Assert.Equal(5, node.Conversations.Count("long")); // head, summary, 3 newest
    }

    [Fact]
    public async Task Nothing_to_fold_is_no_summary()
    {
        await using var host = await SwarmHostTests.StartNodeAsync("idle", heartbeat: 60, timeout: 120);
        var node = host.Host.SwarmNode!;
        foreach (var e in Conversation("short", 3))
        {
            node.Conversations.TryAdd(e);
        }

        Assert.Null(await node.CompactConversationAsync("short", keepRecent: 5));
        Assert.Null(await node.CompactConversationAsync("unknown"));
    }

    /// <summary>A head message, then messages, acks and a reply from two peers, one second apart.</summary>
    private static List<SwarmConversationEvent> Conversation(string id, int count) =>
        [.. Enumerable.Range(0, count).Select(i => SwarmConversationEvent.Create(
            id,
            i == 0 ? "message" : i % 7 == 0 ? "reply" : i % 5 == 0 ? "ack" : "message",
            i % 2 == 0 ? Ann : Nameless,
            MsgPackValue.Map([("text", $"event {i}"), ("i", i)]),
            i == 0 ? null : id,
            1_700_000_000 + i))];
}
