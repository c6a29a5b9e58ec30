using Microsoft.Data.Sqlite;

namespace Synapse.Flows.Graph;

/// <summary>A record row as stored: the indexed columns and the record bytes, not yet checked against each other.</summary>
internal readonly record struct StoredRow(long Sequence, byte[]? Hash, byte[]? Record);

/// <summary>An imported peer record row as stored.</summary>
internal readonly record struct StoredPeerRow(byte[]? Hash, byte[]? Agent, long Sequence, byte[]? Record);

/// <summary>
/// The SQLite layout of <c>decisions.db</c>: table <c>graph</c> (the owner's key and the format version),
/// <c>records</c> (the owner's chain) and <c>peer_records</c> (other agents' records, imported after verification).
/// </summary>
internal static class DecisionStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS graph (key TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS records (seq INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, record BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS peer_records (hash BLOB PRIMARY KEY, agent BLOB NOT NULL, seq INTEGER NOT NULL, record BLOB NOT NULL);
        """;

    /// <summary>Opens (creating it and its directory when missing) for appending: WAL, synchronous=FULL, so a commit is on disk.</summary>
    public static SqliteConnection OpenWritable(string dataDirectory)
    {
        var connection = SqliteFiles.OpenDurable(dataDirectory, DecisionGraph.FileName, Schema);
        try
        {
            SqliteFiles.Execute(connection, "INSERT OR IGNORE INTO graph (key, value) VALUES ('format', $format)", ("$format", DecisionRecord.Version));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens an existing file without writing to it, and checks that it has the tables of a graph.</summary>
    public static SqliteConnection OpenReadOnly(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No decision graph at '{path}'.", path);
        }

        var connection = Create(path, SqliteOpenMode.ReadOnly);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('graph', 'records', 'peer_records')";
            if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 3)
            {
                throw new DecisionGraphException($"'{path}' is a SQLite database but not a decision graph (no graph, records and peer_records tables).");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The owner's 32-byte public key, or null when none is recorded yet.</summary>
    public static byte[]? ReadOwner(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM graph WHERE key = 'agent'";
        return command.ExecuteScalar() as byte[];
    }

    public static void WriteOwner(SqliteConnection connection, ReadOnlySpan<byte> publicKey) =>
        SqliteFiles.Execute(connection, "INSERT INTO graph (key, value) VALUES ('agent', $key)", ("$key", publicKey.ToArray()));

    /// <summary>Runs SQLite's own consistency check (pages, b-trees, indexes); returns null when it reports ok.</summary>
    public static string? IntegrityProblem(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check(1)";
        string? result = command.ExecuteScalar() as string;
        return result == "ok" ? null : result ?? "no answer";
    }

    /// <summary>The owner's rows from <paramref name="fromSequence"/>, in sequence order.</summary>
    public static IEnumerable<StoredRow> ReadRows(SqliteConnection connection, long fromSequence, long maxCount, bool descending = false)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT seq, hash, record FROM records WHERE seq >= $from ORDER BY seq {(descending ? "DESC" : "ASC")} LIMIT $max";
        command.Parameters.AddWithValue("$from", fromSequence);
        command.Parameters.AddWithValue("$max", maxCount);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new StoredRow(reader.GetInt64(0), reader.GetValue(1) as byte[], reader.GetValue(2) as byte[]);
        }
    }

    /// <summary>Every imported peer record row, by agent then sequence.</summary>
    public static IEnumerable<StoredPeerRow> ReadPeerRows(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT hash, agent, seq, record FROM peer_records ORDER BY agent, seq";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new StoredPeerRow(reader.GetValue(0) as byte[], reader.GetValue(1) as byte[], reader.GetInt64(2), reader.GetValue(3) as byte[]);
        }
    }

    private static SqliteConnection Create(string path, SqliteOpenMode mode) => new(new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false,
    }.ToString());
}
