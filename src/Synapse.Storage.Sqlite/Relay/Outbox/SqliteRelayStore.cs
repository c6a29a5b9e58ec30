using Microsoft.Data.Sqlite;

namespace Synapse.Relay.Outbox;

/// <summary>
/// An agent's durable relay state in one SQLite file (<c>relay.db</c> under the data directory): the outbox, so
/// unacknowledged messages survive a restart, and the ids of handled messages, so a retransmission after a restart is
/// still dropped. WAL with synchronous writes: a message accepted by <see cref="IRelayOutbox.Add"/> is on disk.
/// </summary>
public sealed class SqliteRelayStore : IRelayStore
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private SqliteRelayStore(SqliteConnection connection, OutboxLimits limits, int inboxCapacity)
    {
        _connection = connection;
        Outbox = new DurableOutbox(this, limits);
        Inbox = new DurableInbox(this, inboxCapacity);
    }

    /// <summary>The durable outbox.</summary>
    public IRelayOutbox Outbox { get; }

    /// <summary>The durable record of handled message ids.</summary>
    public IInboxDeduplicator Inbox { get; }

    /// <summary>
    /// The store for <see cref="Client.RelayClientOptions.OpenStore"/>: a relay client opens it in
    /// <paramref name="directory"/> with its outbox limits.
    /// </summary>
    /// <param name="directory">The agent's data directory; created when missing.</param>
    /// <param name="inboxCapacity">How many handled ids are remembered.</param>
    public static Func<OutboxLimits, IRelayStore> In(string directory, int inboxCapacity = 100_000)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return limits => Open(directory, limits, inboxCapacity);
    }

    /// <summary>Opens (or creates) the store in <paramref name="directory"/>.</summary>
    /// <param name="directory">The agent's data directory; created when missing.</param>
    /// <param name="limits">Bounds of the outbox.</param>
    /// <param name="inboxCapacity">How many handled ids are remembered.</param>
    public static SqliteRelayStore Open(string directory, OutboxLimits? limits = null, int inboxCapacity = 100_000)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(inboxCapacity, 1);
        var connection = SqliteFiles.OpenDurable(directory, "relay.db", """
            CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id BLOB NOT NULL UNIQUE, envelope BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS inbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id BLOB NOT NULL UNIQUE);
            """);
        try
        {
            var store = new SqliteRelayStore(connection, limits ?? new OutboxLimits(), inboxCapacity);
            ((DurableOutbox)store.Outbox).Load();
            return store;
        }
        catch
        {
            connection.Dispose();
            throw;
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

    /// <summary>The outbox: an in-memory copy for reads, written through to the file.</summary>
    private sealed class DurableOutbox(SqliteRelayStore store, OutboxLimits limits) : IRelayOutbox
    {
        private readonly MemoryRelayOutbox _memory = new(limits);

        public int Count => _memory.Count;

        public long Bytes => _memory.Bytes;

        public void Load()
        {
            using var command = store._connection.CreateCommand();
            command.CommandText = "SELECT id, envelope FROM outbox ORDER BY seq";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                _memory.Add(new Guid((byte[])reader[0]), (byte[])reader[1]);
            }
        }

        public void Add(Guid messageId, ReadOnlyMemory<byte> envelope)
        {
            lock (store._lock)
            {
                if (_memory.Contains(messageId))
                {
                    return;
                }

                _memory.Add(messageId, envelope); // throws when full, before anything is written
                try
                {
                    SqliteFiles.Execute(store._connection, "INSERT INTO outbox (id, envelope) VALUES ($id, $envelope)", ("$id", messageId.ToByteArray()), ("$envelope", envelope.ToArray()));
                }
                catch
                {
                    _memory.Remove(messageId);
                    throw;
                }
            }
        }

        public bool Remove(Guid messageId)
        {
            lock (store._lock)
            {
                if (!_memory.Remove(messageId))
                {
                    return false;
                }

                SqliteFiles.Execute(store._connection, "DELETE FROM outbox WHERE id = $id", ("$id", messageId.ToByteArray()));
                return true;
            }
        }

        public bool Contains(Guid messageId) => _memory.Contains(messageId);

        public bool TryGet(Guid messageId, out ReadOnlyMemory<byte> envelope) => _memory.TryGet(messageId, out envelope);

        public IReadOnlyList<OutboxEntry> Pending() => _memory.Pending();

        public void Dispose() => store.Dispose();
    }

    /// <summary>Handled ids, trimmed to the newest <c>capacity</c>.</summary>
    private sealed class DurableInbox(SqliteRelayStore store, int capacity) : IInboxDeduplicator
    {
        private int _sinceTrim;

        public bool TryAccept(Guid messageId)
        {
            lock (store._lock)
            {
                using var command = store._connection.CreateCommand();
                command.CommandText = "INSERT OR IGNORE INTO inbox (id) VALUES ($id)";
                command.Parameters.AddWithValue("$id", messageId.ToByteArray());
                if (command.ExecuteNonQuery() == 0)
                {
                    return false;
                }

                if (++_sinceTrim >= Math.Max(1, capacity / 10))
                {
                    _sinceTrim = 0;
                    SqliteFiles.Execute(store._connection, "DELETE FROM inbox WHERE seq <= (SELECT MAX(seq) FROM inbox) - $capacity", ("$capacity", capacity));
                }

                return true;
            }
        }

        public void Dispose() => store.Dispose();
    }
}
