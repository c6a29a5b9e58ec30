using Microsoft.Data.Sqlite;
using Synapse.Identity;

namespace Synapse.Flows.Graph;

/// <summary>
/// An agent's signed, durable decision graph: every transition it makes, appended as a <see cref="DecisionRecord"/>
/// chained to the previous one and signed with the agent's key, in <c>decisions.db</c> under its data directory.
/// The graph is the source of truth for the agent's flow states: after a crash, <see cref="Latest"/> says where to
/// resume.
/// </summary>
/// <remarks>
/// <para>SQLite in WAL mode with <c>synchronous=FULL</c>: <see cref="Append"/> returns after the commit, so a record
/// it returned survives a crash of the process or the machine.</para>
/// <para>Thread-safe; appends are serialized. The identity stays the caller's (it is not disposed here).</para>
/// </remarks>
public sealed class DecisionGraph : IDisposable, IAsyncDisposable
{
    /// <summary>The file name under the agent's data directory.</summary>
    public const string FileName = "decisions.db";

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly AgentIdentity _identity;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private DecisionRecord? _latest;
    private bool _disposed;

    private DecisionGraph(string path, SqliteConnection connection, AgentIdentity identity, TimeProvider time, DecisionRecord? latest)
    {
        Path = path;
        _connection = connection;
        _identity = identity;
        _time = time;
        _latest = latest;
        _insert = connection.CreateCommand();
        _insert.CommandText = "INSERT INTO records (seq, hash, record) VALUES ($seq, $hash, $record)";
        _insert.Parameters.Add("$seq", SqliteType.Integer);
        _insert.Parameters.Add("$hash", SqliteType.Blob);
        _insert.Parameters.Add("$record", SqliteType.Blob);
    }

    /// <summary>The agent whose graph this is.</summary>
    public AgentId Agent => _identity.Id;

    /// <summary>The full path of <c>decisions.db</c>.</summary>
    public string Path { get; }

    /// <summary>The newest record, or null when the graph is empty: the states to resume from after a restart.</summary>
    public DecisionRecord? Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    /// <summary>The hash of the newest record, or null when the graph is empty: attach it to outgoing messages.</summary>
    public DecisionHash? LatestHash => Latest?.Hash;

    /// <summary>
    /// Opens (or creates) the graph in <paramref name="dataDirectory"/> for <paramref name="identity"/>.
    /// </summary>
    /// <param name="dataDirectory">The agent's data directory; created when missing.</param>
    /// <param name="identity">The agent's identity; records are signed with it.</param>
    /// <param name="timeProvider">The clock of record timestamps; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The open graph.</returns>
    /// <exception cref="DecisionGraphException">The file belongs to another agent, is not a decision graph, or its
    /// newest record is corrupt (run <c>synapse graph verify</c> to find out more).</exception>
    public static DecisionGraph Open(string dataDirectory, AgentIdentity identity, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(identity);
        Directory.CreateDirectory(dataDirectory);
        string path = System.IO.Path.GetFullPath(System.IO.Path.Combine(dataDirectory, FileName));
        SqliteConnection connection;
        try
        {
            connection = DecisionStore.OpenWritable(path);
        }
        catch (SqliteException e)
        {
            throw new DecisionGraphException($"Cannot open the decision graph '{path}': {e.Message}", e);
        }

        try
        {
            DecisionRecord? latest = Load(connection, path, identity.Id);
            return new DecisionGraph(path, connection, identity, timeProvider ?? TimeProvider.System, latest);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends a transition: assigns the next sequence number, the previous record's hash and the timestamp, signs,
    /// and commits durably before returning.
    /// </summary>
    /// <param name="draft">The transition.</param>
    /// <returns>The signed record, already on disk.</returns>
    /// <exception cref="ArgumentException">A field of the draft breaks a rule or a <see cref="DecisionLimits"/> bound.</exception>
    /// <exception cref="ObjectDisposedException">The graph was disposed.</exception>
    /// <exception cref="SqliteException">The write failed; nothing was appended.</exception>
    public DecisionRecord Append(DecisionDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DateTimeOffset now = _time.GetUtcNow();
            // Never earlier than the previous record, so timestamps along a chain do not go backwards.
            DecisionRecord record = DecisionRecord.Sign(
                _identity,
                draft,
                (_latest?.Sequence ?? 0) + 1,
                _latest?.Hash ?? DecisionHash.Zero,
                _latest is not null && _latest.Timestamp > now ? _latest.Timestamp : now);
            _insert.Parameters[0].Value = record.Sequence;
            _insert.Parameters[1].Value = record.Hash.Bytes.ToArray();
            _insert.Parameters[2].Value = record.Bytes.ToArray();
            _insert.ExecuteNonQuery();
            _latest = record;
            return record;
        }
    }

    /// <summary>The agent's records from <paramref name="fromSequence"/> on, in order.</summary>
    /// <param name="fromSequence">The first sequence number wanted.</param>
    /// <param name="maxCount">The most records returned.</param>
    /// <returns>The records.</returns>
    /// <exception cref="DecisionGraphException">A stored record is corrupt.</exception>
    public IReadOnlyList<DecisionRecord> Records(long fromSequence = 1, int maxCount = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return [.. DecisionStore.ReadRows(_connection, fromSequence, maxCount).Select(row => FromRow(row, Path, Agent))];
        }
    }

    /// <summary>
    /// Stores another agent's record after checking its signature, so links to it can be verified from this graph
    /// alone (e.g. the record whose hash a received message carried).
    /// </summary>
    /// <param name="record">The peer's record.</param>
    /// <returns>True when stored, false when it was already there.</returns>
    /// <exception cref="ArgumentException">The record is this agent's own.</exception>
    /// <exception cref="DecisionGraphException">The signature is not the record's agent's.</exception>
    public bool ImportPeerRecord(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Agent == Agent)
        {
            throw new ArgumentException("The record is this agent's own; only other agents' records are imported.", nameof(record));
        }

        if (!record.VerifySignature())
        {
            throw new DecisionGraphException($"The record #{record.Sequence} of {record.Agent} does not carry that agent's signature.");
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return DecisionStore.Execute(
                _connection,
                "INSERT OR IGNORE INTO peer_records (hash, agent, seq, record) VALUES ($hash, $agent, $seq, $record)",
                ("$hash", record.Hash.Bytes.ToArray()),
                ("$agent", record.Agent.PublicKey.ToArray()),
                ("$seq", record.Sequence),
                ("$record", record.Bytes.ToArray())) == 1;
        }
    }

    /// <summary>Closes the file. Idempotent.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _insert.Dispose();
            _connection.Dispose();
        }
    }

    /// <summary>Closes the file. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Decodes a stored row, requiring its columns to agree with the record and the record to be the owner's.</summary>
    internal static DecisionRecord FromRow(StoredRow row, string path, AgentId owner)
    {
        if (row.Record is null || row.Hash is null)
        {
            throw new DecisionGraphException($"'{path}': the row of record #{row.Sequence} is not a record (a column is not a blob).");
        }

        DecisionRecord record;
        try
        {
            record = DecisionRecord.Decode(row.Record);
        }
        catch (DecisionGraphException e)
        {
            throw new DecisionGraphException($"'{path}': record #{row.Sequence}: {e.Message}", e);
        }

        if (record.Sequence != row.Sequence || !record.Hash.Bytes.SequenceEqual(row.Hash) || record.Agent != owner)
        {
            throw new DecisionGraphException($"'{path}': the row of record #{row.Sequence} does not match the record it holds.");
        }

        return record;
    }

    private static DecisionRecord? Load(SqliteConnection connection, string path, AgentId agent)
    {
        byte[]? owner = DecisionStore.ReadOwner(connection);
        if (owner is null)
        {
            DecisionStore.WriteOwner(connection, agent.PublicKey);
        }
        else if (!owner.AsSpan().SequenceEqual(agent.PublicKey))
        {
            string other = owner.Length == 32 ? AgentId.FromPublicKey(owner).ToString() : "an unreadable agent key";
            throw new DecisionGraphException($"The decision graph '{path}' belongs to {other}, not to {agent}.");
        }

        foreach (StoredRow row in DecisionStore.ReadRows(connection, 1, 1, descending: true))
        {
            DecisionRecord latest = FromRow(row, path, agent);
            if (!latest.VerifySignature())
            {
                throw new DecisionGraphException($"'{path}': the newest record #{latest.Sequence} has a bad signature; run 'synapse graph verify'.");
            }

            return latest;
        }

        return null;
    }
}
