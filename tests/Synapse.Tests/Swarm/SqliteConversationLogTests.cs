using Microsoft.Data.Sqlite;
using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Tests.Swarm;

/// <summary>
/// The durable conversation log: a node's conversations come back after a reopen as they were, bounds, compaction,
/// pruning and replies included; a log written with larger bounds is cut to the new ones; damage is named.
/// </summary>
public sealed class SqliteConversationLogTests : IDisposable
{
    private static readonly SwarmPeer Author = new("author", "127.0.0.1", 1) { Swarm = "lab", Team = "default", Name = "author" };
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "synapse-conversations-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Events_come_back_after_a_reopen_with_their_payloads_as_they_came()
    {
        var payload = MsgPackValue.Map([("text", "héllo"), ("blob", MsgPackValue.From(new byte[] { 0, 1, 255 })), ("n", 1.5)]);
        var first = new SwarmConversationEvent("c", "e1", "message", Author, payload, null, 10, MsgPackValue.Map([("sig", "x")]));
        using (var log = SqliteConversationLog.Open(_directory))
        {
            var conversations = Conversations(log);
            Assert.True(conversations.TryAdd(first));
            Assert.True(conversations.TryAdd(Event("c", "e2", 11) with { ParentId = "e1" }));
            Assert.True(conversations.TryAdd(Event("d", "e3", 12)));
        }

        using var reopened = SqliteConversationLog.Open(_directory);
        var restored = Conversations(reopened);

        Assert.Equal(["c", "d"], restored.ConversationIds);
        Assert.Equal(["e1", "e2"], restored.Get("c").Select(e => e.EventId));
        var back = restored.Get("c")[0];
        Assert.Equal(first.ToMsgPack().ToBytes(), back.ToMsgPack().ToBytes());
        Assert.Equal("e1", restored.Get("c")[1].ParentId);
        Assert.False(restored.TryAdd(first)); // its id is remembered after the restart
    }

    [Fact]
    public void Events_evicted_by_the_bounds_are_gone_from_the_file_too()
    {
        using (var log = SqliteConversationLog.Open(_directory))
        {
            var conversations = Conversations(log, o => (o.MaxConversationEvents, o.MaxConversations) = (3, 2));
            for (var i = 0; i < 10; i++)
            {
                conversations.TryAdd(Event("a", $"a{i}", i));
            }

            conversations.TryAdd(Event("b", "b0", 20));
            conversations.TryAdd(Event("c", "c0", 21)); // forgets "a", updated longest ago
        }

        Assert.Equal(2, CountRows());
        using var reopened = SqliteConversationLog.Open(_directory);
        Assert.Equal(["b0", "c0"], reopened.Load().Events.Select(e => e.EventId));
    }

    [Fact]
    public async Task A_compacted_conversation_comes_back_compacted_and_its_old_ids_stay_refused()
    {
        SwarmConversationEvent summary;
        using (var log = SqliteConversationLog.Open(_directory))
        {
            await using var node = await SwarmHostTests.StartNodeAsync("compacting", heartbeat: 60, timeout: 120, configure: o => (o.ConversationLog, o.ConversationKeepRecent) = (log, 2));
            var conversations = node.Host.SwarmNode!.Conversations;
            conversations.TryAdd(Event("c", "head", 1));
            for (var i = 0; i < 6; i++)
            {
                conversations.TryAdd(Event("c", $"e{i}", 2 + i) with { Kind = "note" });
            }

            summary = (await node.Host.SwarmNode!.CompactConversationAsync("c"))!;
        }

        using var reopened = SqliteConversationLog.Open(_directory);
        var restored = Conversations(reopened);

        Assert.Equal(["head", summary.EventId, "e4", "e5"], restored.Get("c").Select(e => e.EventId));
        Assert.Equal(4, restored.Get("c")[1].Payload["compacted_events"]!.AsInt64());
        Assert.False(restored.TryAdd(Event("c", "e1", 3))); // folded into the summary: gossip cannot bring it back
        Assert.Equal(4, reopened.Load().CompactedIds.Count);
    }

    [Fact]
    public void Pruned_events_are_deleted()
    {
        using (var log = SqliteConversationLog.Open(_directory))
        {
            var conversations = Conversations(log);
            conversations.TryAdd(Event("old", "o1", 10));
            conversations.TryAdd(Event("new", "n1", 100));
            Assert.Single(conversations.Prune(50));
        }

        using var reopened = SqliteConversationLog.Open(_directory);
        Assert.Equal(["n1"], reopened.Load().Events.Select(e => e.EventId));
    }

    [Fact]
    public void Replies_are_counted_again_so_a_reply_forwarded_after_a_restart_is_not_stored_twice()
    {
        using (var log = SqliteConversationLog.Open(_directory))
        {
            var conversations = Conversations(log);
            Assert.True(conversations.TryAddReply("nonce", "author"));
            conversations.TryAdd(Event("nonce", "r1", 5) with { Kind = "reply" });
        }

        using var reopened = SqliteConversationLog.Open(_directory);
        Assert.False(Conversations(reopened).TryAddReply("nonce", "author"));
    }

    [Fact]
    public void A_log_written_with_larger_bounds_is_cut_to_the_new_ones()
    {
        using (var log = SqliteConversationLog.Open(_directory))
        {
            var conversations = Conversations(log);
            for (var i = 0; i < 10; i++)
            {
                conversations.TryAdd(Event("c", $"e{i}", i));
            }
        }

        using var reopened = SqliteConversationLog.Open(_directory);
        var restored = Conversations(reopened, o => o.MaxConversationEvents = 3);

        Assert.Equal(["e0", "e8", "e9"], restored.Get("c").Select(e => e.EventId));
        Assert.Equal(3, CountRows());
    }

    [Fact]
    public void A_failed_write_stores_nothing()
    {
        var log = new FailingLog();
        var conversations = new SwarmConversations(new SwarmOptions { ConversationLog = log });

        Assert.Throws<IOException>(() => conversations.TryAdd(Event("c", "e1", 1)));

        Assert.Empty(conversations.ConversationIds);
        log.Fail = false;
        Assert.True(conversations.TryAdd(Event("c", "e1", 1))); // not remembered: it was never stored
    }

    [Fact]
    public void A_damaged_event_is_named()
    {
        using (var log = SqliteConversationLog.Open(_directory))
        {
            Conversations(log).TryAdd(Event("c", "e1", 1));
        }

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "conversations.db")};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE events SET data = x'c1'";
            command.ExecuteNonQuery();
        }

        using var reopened = SqliteConversationLog.Open(_directory);
        var error = Assert.Throws<InvalidDataException>(() => reopened.Load());
        Assert.StartsWith("conversations.db: event e1: ", error.Message, StringComparison.Ordinal);
    }

    private static SwarmConversations Conversations(ISwarmConversationLog log, Action<SwarmOptions>? configure = null)
    {
        var options = new SwarmOptions { ConversationLog = log };
        configure?.Invoke(options);
        return new SwarmConversations(options);
    }

    private int CountRows()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "conversations.db")};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SwarmConversationEvent Event(string conversation, string id, double createdAt) =>
        new(conversation, id, "message", Author, MsgPackValue.Map([("text", id)]), null, createdAt, SwarmConversationEvent.EmptyMap);

    private sealed class FailingLog : ISwarmConversationLog
    {
        public bool Fail { get; set; } = true;

        public SwarmConversationLogContents Load() => new([], []);

        public void Apply(SwarmConversationLogChange change)
        {
            if (Fail)
            {
                throw new IOException("disk full");
            }
        }
    }
}
