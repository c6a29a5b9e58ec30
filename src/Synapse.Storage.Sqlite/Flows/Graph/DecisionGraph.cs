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
/// <para>SQLite in WAL mode with <c>synchronous=FULL</c>, with group commit: an append takes its place in the chain
/// at once (sequence number, previous hash, timestamp, in call order), and one writer thread signs the records
/// waiting (on every core) and commits them in one transaction, one fsync per batch. A record is acknowledged
/// (<see cref="AppendAsync"/> and <see cref="Append"/> return, <see cref="DecisionAppend.Committed"/> completes) only
/// once its batch is on disk, so an acknowledged record survives a crash of the process or the machine; a crash
/// loses at most records not yet acknowledged, always the newest ones (the chain on disk has no gaps).</para>
/// <para>Thread-safe. The identity stays the caller's (it is not disposed here). Dispose commits the records still
/// waiting before it closes the file.</para>
/// </remarks>
public sealed partial class DecisionGraph : IDisposable, IAsyncDisposable
{
    /// <summary>The file name under the agent's data directory.</summary>
    public const string FileName = "decisions.db";

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly AgentIdentity _identity;
    private readonly TimeProvider _time;
    private readonly DecisionGraphOptions _options;

    // The chain and the queue; Latest, the failure and the state of the writer.
    private readonly Lock _lock = new();

    // The connection, used by the writer's commits and by readers and imports.
    private readonly Lock _db = new();
    private DecisionRecord? _latest;
    private bool _closed;

    private DecisionGraph(string path, SqliteConnection connection, AgentIdentity identity, DecisionGraphOptions options, DecisionRecord? latest)
    {
        Path = path;
        _connection = connection;
        _identity = identity;
        _options = options;
        _time = options.TimeProvider ?? TimeProvider.System;
        _latest = latest;
        _head = new ChainHead(latest?.Sequence ?? 0, latest?.Hash ?? DecisionHash.Zero, latest?.Timestamp ?? DateTimeOffset.MinValue);
        _room = new SemaphoreSlim(options.MaxPendingRecords, options.MaxPendingRecords);
        _insert = connection.CreateCommand();
        _insert.CommandText = "INSERT INTO records (seq, hash, record) VALUES ($seq, $hash, $record)";
        _insert.Parameters.Add("$seq", SqliteType.Integer);
        _insert.Parameters.Add("$hash", SqliteType.Blob);
        _insert.Parameters.Add("$record", SqliteType.Blob);
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "Synapse decision graph writer" };
        _writer.Start();
    }

    /// <summary>The agent whose graph this is.</summary>
    public AgentId Agent => _identity.Id;

    /// <summary>The full path of <c>decisions.db</c>.</summary>
    public string Path { get; }

    /// <summary>
    /// The newest committed (durable) record, or null when none is: the states to resume from after a restart.
    /// Records appended but still waiting for their batch's commit are not counted.
    /// </summary>
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

    /// <summary>
    /// The hash of the newest record appended, committed or still waiting for its commit, or null when the graph is
    /// empty: attach it to outgoing messages. After a crash, the records that were not yet committed are gone, and
    /// a message that named one of them names a record no graph holds (<c>synapse graph verify</c> reports such a
    /// link as unresolved); <see cref="FlushAsync"/> before sending when that must not happen.
    /// </summary>
    public DecisionHash? LatestHash
    {
        get
        {
            lock (_lock)
            {
                return _head.Sequence == 0 ? null : _head.Hash;
            }
        }
    }

    /// <summary>
    /// Opens (or creates) the graph in <paramref name="dataDirectory"/> for <paramref name="identity"/>.
    /// </summary>
    /// <param name="dataDirectory">The agent's data directory; created when missing.</param>
    /// <param name="identity">The agent's identity; records are signed with it.</param>
    /// <param name="timeProvider">The clock of record timestamps; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The open graph.</returns>
    /// <exception cref="DecisionGraphException">The file belongs to another agent, is not a decision graph, or its
    /// newest record is corrupt (run <c>synapse graph verify</c> to find out more).</exception>
    public static DecisionGraph Open(string dataDirectory, AgentIdentity identity, TimeProvider? timeProvider = null) =>
        Open(dataDirectory, identity, new DecisionGraphOptions { TimeProvider = timeProvider });

    /// <summary>
    /// Opens (or creates) the graph in <paramref name="dataDirectory"/> for <paramref name="identity"/>, with options.
    /// </summary>
    /// <param name="dataDirectory">The agent's data directory; created when missing.</param>
    /// <param name="identity">The agent's identity; records are signed with it.</param>
    /// <param name="options">The clock and the bounds of group commit.</param>
    /// <returns>The open graph.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    /// <exception cref="DecisionGraphException">The file belongs to another agent, is not a decision graph, or its
    /// newest record is corrupt (run <c>synapse graph verify</c> to find out more).</exception>
    public static DecisionGraph Open(string dataDirectory, AgentIdentity identity, DecisionGraphOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string path = System.IO.Path.GetFullPath(System.IO.Path.Combine(dataDirectory, FileName));
        SqliteConnection connection;
        try
        {
            connection = DecisionStore.OpenWritable(dataDirectory);
        }
        catch (SqliteException e)
        {
            throw new DecisionGraphException($"Cannot open the decision graph '{path}': {e.Message}", e);
        }

        try
        {
            DecisionRecord? latest = Load(connection, path, identity.Id);
            return new DecisionGraph(path, connection, identity, options, latest);
        }
        catch
        {
            connection.Dispose();
            throw;
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
        lock (_db)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
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

        lock (_db)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            return SqliteFiles.Execute(
                _connection,
                "INSERT OR IGNORE INTO peer_records (hash, agent, seq, record) VALUES ($hash, $agent, $seq, $record)",
                ("$hash", record.Hash.Bytes.ToArray()),
                ("$agent", record.Agent.PublicKey.ToArray()),
                ("$seq", record.Sequence),
                ("$record", record.Bytes.ToArray())) == 1;
        }
    }

    /// <summary>Commits the records still waiting, then closes the file. Idempotent.</summary>
    public void Dispose()
    {
        if (!StopWriter())
        {
            return;
        }

        lock (_db)
        {
            _closed = true;
            _insert.Dispose();
            _connection.Dispose();
        }

        _wake.Dispose();
    }

    /// <summary>Commits the records still waiting, then closes the file. Idempotent.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
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
