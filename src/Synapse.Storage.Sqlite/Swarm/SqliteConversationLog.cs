using Microsoft.Data.Sqlite;
using Synapse.MessagePack;

namespace Synapse.Swarm;

/// <summary>
/// A swarm node's conversation log in one SQLite file (<c>conversations.db</c> under the data directory), so it
/// survives a restart, a kill included: WAL with synchronous writes, so an event the node reported stored is on disk.
/// Set it as <see cref="SwarmOptions.ConversationLog"/>. The table is synapse-p2p's,
/// <c>events(event_id, conversation_id, created_at, compacted, data)</c>, with <c>data</c> the event's MessagePack
/// map rather than JSON, so payloads with bytes survive as they came.
/// </summary>
public sealed class SqliteConversationLog : ISwarmConversationLog, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private SqliteConversationLog(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Opens (or creates) the log in <paramref name="directory"/>.</summary>
    /// <param name="directory">The node's data directory; created when missing.</param>
    public static SqliteConversationLog Open(string directory)
    {
        var connection = SqliteFiles.OpenDurable(directory, "conversations.db", """
            CREATE TABLE IF NOT EXISTS events (
                event_id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, created_at REAL NOT NULL,
                compacted INTEGER NOT NULL DEFAULT 0, data BLOB);
            CREATE INDEX IF NOT EXISTS events_by_time ON events (compacted, created_at);
            """);
        return new SqliteConversationLog(connection);
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">A stored event is damaged, naming it and what is wrong.</exception>
    public SwarmConversationLogContents Load()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT event_id, compacted, data FROM events ORDER BY created_at, rowid";
            using var reader = command.ExecuteReader();
            var events = new List<SwarmConversationEvent>();
            var compacted = new List<string>();
            while (reader.Read())
            {
                var id = reader.GetString(0);
                if (reader.GetInt64(1) != 0)
                {
                    compacted.Add(id);
                    continue;
                }

                events.Add(Decode(id, reader.IsDBNull(2) ? null : (byte[])reader[2]));
            }

            return new SwarmConversationLogContents(events, compacted);
        }
    }

    /// <inheritdoc/>
    public void Apply(SwarmConversationLogChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var added in change.Added)
            {
                SqliteFiles.Execute(_connection,
                    "INSERT OR REPLACE INTO events (event_id, conversation_id, created_at, compacted, data) VALUES ($id, $conversation, $created, 0, $data)",
                    ("$id", added.EventId), ("$conversation", added.ConversationId), ("$created", added.CreatedAt), ("$data", added.ToMsgPack().ToBytes()));
            }

            foreach (var id in change.Removed)
            {
                SqliteFiles.Execute(_connection, "DELETE FROM events WHERE event_id = $id", ("$id", id));
            }

            foreach (var id in change.Compacted)
            {
                SqliteFiles.Execute(_connection, "UPDATE events SET compacted = 1, data = NULL WHERE event_id = $id", ("$id", id));
            }

            foreach (var id in change.Forgotten)
            {
                SqliteFiles.Execute(_connection, "DELETE FROM events WHERE event_id = $id AND compacted = 1", ("$id", id));
            }

            transaction.Commit();
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _connection.Dispose();
        }
    }

    private static SwarmConversationEvent Decode(string id, byte[]? data)
    {
        try
        {
            var decoded = SwarmConversationEvent.FromMsgPack(MsgPackValue.Parse(data ?? throw new InvalidDataException("no data")));
            return decoded.EventId == id ? decoded : throw new InvalidDataException($"its data holds event {decoded.EventId}");
        }
        catch (Exception e) when (e is InvalidDataException or SwarmPeerFormatException or MsgPackException)
        {
            throw new InvalidDataException($"conversations.db: event {id}: {e.Message}", e);
        }
    }
}
