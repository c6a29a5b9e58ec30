using Microsoft.Data.Sqlite;

namespace Synapse.Tasks;

/// <summary>
/// A host's long-running tasks in one SQLite file (<c>tasks.db</c> under the data directory), so they survive a
/// restart, a kill included: WAL with synchronous writes, so a state the host reported is on disk. Set it as
/// <see cref="AgentTaskOptions.Store"/>; the host writes each state change, never each progress report.
/// </summary>
public sealed class SqliteTaskStore : IAgentTaskStore, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private SqliteTaskStore(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Opens (or creates) the store in <paramref name="directory"/>.</summary>
    /// <param name="directory">The agent's data directory; created when missing.</param>
    public static SqliteTaskStore Open(string directory)
    {
        var connection = SqliteFiles.OpenDurable(directory, "tasks.db", """
            CREATE TABLE IF NOT EXISTS tasks (
                id TEXT PRIMARY KEY, endpoint TEXT NOT NULL, args BLOB NOT NULL, kwargs BLOB NOT NULL, owner TEXT,
                state TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL, seq INTEGER NOT NULL,
                attempt INTEGER NOT NULL, result BLOB, error_code TEXT, error_message TEXT, prompt TEXT);
            """);
        return new SqliteTaskStore(connection);
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">A stored row is damaged, naming the task and the field.</exception>
    public IReadOnlyList<AgentTaskRecord> Load()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, endpoint, args, kwargs, owner, state, created, updated, seq, attempt, result, error_code, error_message, prompt FROM tasks";
            using var reader = command.ExecuteReader();
            var records = new List<AgentTaskRecord>();
            while (reader.Read())
            {
                var id = reader.GetString(0);
                AgentTaskState state;
                try
                {
                    state = AgentTaskStates.Parse(reader.GetString(5));
                }
                catch (FormatException e)
                {
                    throw new InvalidDataException($"tasks.db: task {id}: {e.Message}", e);
                }

                records.Add(new AgentTaskRecord
                {
                    Id = id,
                    Endpoint = reader.GetString(1),
                    Arguments = (byte[])reader[2],
                    KeywordArguments = (byte[])reader[3],
                    Owner = reader.IsDBNull(4) ? null : reader.GetString(4),
                    State = state,
                    Created = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                    Updated = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                    Sequence = reader.GetInt64(8),
                    Attempt = reader.GetInt32(9),
                    Result = reader.IsDBNull(10) ? default(ReadOnlyMemory<byte>?) : (byte[])reader[10],
                    ErrorCode = reader.IsDBNull(11) ? null : reader.GetString(11),
                    ErrorMessage = reader.IsDBNull(12) ? null : reader.GetString(12),
                    Prompt = reader.IsDBNull(13) ? null : reader.GetString(13),
                });
            }

            return records;
        }
    }

    /// <inheritdoc/>
    public void Save(AgentTaskRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            SqliteFiles.Execute(
                _connection,
                """
                INSERT OR REPLACE INTO tasks (id, endpoint, args, kwargs, owner, state, created, updated, seq, attempt, result, error_code, error_message, prompt)
                VALUES ($id, $endpoint, $args, $kwargs, $owner, $state, $created, $updated, $seq, $attempt, $result, $error_code, $error_message, $prompt)
                """,
                ("$id", record.Id),
                ("$endpoint", record.Endpoint),
                ("$args", record.Arguments.ToArray()),
                ("$kwargs", record.KeywordArguments.ToArray()),
                ("$owner", (object?)record.Owner ?? DBNull.Value),
                ("$state", record.State.ToWire()),
                ("$created", record.Created.ToUnixTimeMilliseconds()),
                ("$updated", record.Updated.ToUnixTimeMilliseconds()),
                ("$seq", record.Sequence),
                ("$attempt", record.Attempt),
                ("$result", record.Result is { } result ? result.ToArray() : DBNull.Value),
                ("$error_code", (object?)record.ErrorCode ?? DBNull.Value),
                ("$error_message", (object?)record.ErrorMessage ?? DBNull.Value),
                ("$prompt", (object?)record.Prompt ?? DBNull.Value));
        }
    }

    /// <inheritdoc/>
    public void Delete(string id)
    {
        lock (_lock)
        {
            SqliteFiles.Execute(_connection, "DELETE FROM tasks WHERE id = $id", ("$id", id));
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
}
