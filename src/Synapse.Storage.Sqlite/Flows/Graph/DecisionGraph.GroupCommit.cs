using Microsoft.Data.Sqlite;

namespace Synapse.Flows.Graph;

/// <summary>Appending with group commit: the chain, the queue of records waiting, and the writer that commits them.</summary>
public sealed partial class DecisionGraph
{
    private readonly Queue<PendingRecord> _queue = new();
    private readonly SemaphoreSlim _room;
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _writer;
    private ChainHead _head;
    private PendingRecord? _last;
    private bool _writerIdle;
    private bool _committingHere;
    private bool _closing;
    private DecisionGraphException? _failure;

    /// <summary>
    /// Appends a transition and waits until it is durable: assigns the next sequence number, the previous record's
    /// hash and the timestamp (in call order), and returns once the batch holding the record is committed.
    /// </summary>
    /// <param name="draft">The transition.</param>
    /// <returns>The signed record, already on disk.</returns>
    /// <exception cref="ArgumentException">A field of the draft breaks a rule or a <see cref="DecisionLimits"/> bound.</exception>
    /// <exception cref="ObjectDisposedException">The graph was disposed.</exception>
    /// <exception cref="DecisionGraphException">The commit failed (the record and those after it were not appended;
    /// the graph accepts no more appends), or an earlier one did.</exception>
    public DecisionRecord Append(DecisionDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ThrowIfUnusable();
        _room.Wait();
        PendingRecord pending = Enqueue(draft, commitHereIfIdle: true, out bool commitHere);
        if (commitHere)
        {
            // Nothing else was waiting: committing on this thread spares the hand-over to the writer and back.
            try
            {
                Commit([pending]);
            }
            finally
            {
                _db.Exit();
                lock (_lock)
                {
                    _committingHere = false;
                }
            }
        }

        return pending.Done.Task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Appends a transition and completes once it is durable: as <see cref="Append"/>, without blocking a thread.
    /// </summary>
    /// <param name="draft">The transition.</param>
    /// <param name="cancellationToken">Cancels the wait for room among the records waiting
    /// (<see cref="DecisionGraphOptions.MaxPendingRecords"/>); once the record has its place in the chain, it is
    /// committed and the task completes with it.</param>
    /// <returns>The signed record, already on disk.</returns>
    /// <exception cref="ArgumentException">A field of the draft breaks a rule or a <see cref="DecisionLimits"/> bound.</exception>
    /// <exception cref="ObjectDisposedException">The graph was disposed.</exception>
    /// <exception cref="DecisionGraphException">The commit failed, or an earlier one did.</exception>
    public async ValueTask<DecisionRecord> AppendAsync(DecisionDraft draft, CancellationToken cancellationToken = default)
    {
        DecisionAppend append = await EnqueueAsync(draft, cancellationToken).ConfigureAwait(false);
        return await append.Committed.ConfigureAwait(false);
    }

    /// <summary>
    /// Appends a transition without waiting for the disk: completes as soon as the record has its place in the
    /// chain (sequence number, previous hash and timestamp, in call order), so the caller can go on while the
    /// record is signed and committed with others; <see cref="DecisionAppend.Committed"/> completes once it is
    /// durable. Waits only when <see cref="DecisionGraphOptions.MaxPendingRecords"/> records are already waiting.
    /// </summary>
    /// <param name="draft">The transition.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The record's place in the chain and its commit.</returns>
    /// <exception cref="ArgumentException">A field of the draft breaks a rule or a <see cref="DecisionLimits"/> bound.</exception>
    /// <exception cref="ObjectDisposedException">The graph was disposed.</exception>
    /// <exception cref="DecisionGraphException">An earlier commit failed: the graph accepts no more appends.</exception>
    public ValueTask<DecisionAppend> EnqueueAsync(DecisionDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ThrowIfUnusable();
        return _room.Wait(0) ? ValueTask.FromResult(Enqueue(draft, commitHereIfIdle: false, out _).ToAppend()) : WaitAndEnqueueAsync(draft, cancellationToken);
    }

    /// <summary>Completes when every record appended before the call is durable.</summary>
    /// <param name="cancellationToken">Cancels the wait (not the commits).</param>
    /// <returns>A task that faults when a commit failed.</returns>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        Task task;
        lock (_lock)
        {
            task = _last?.Done.Task ?? (_failure is { } failure ? Task.FromException(failure) : Task.CompletedTask);
        }

        return task.IsCompleted ? task : task.WaitAsync(cancellationToken);
    }

    private async ValueTask<DecisionAppend> WaitAndEnqueueAsync(DecisionDraft draft, CancellationToken cancellationToken)
    {
        await _room.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Enqueue(draft, commitHereIfIdle: false, out _).ToAppend();
    }

    /// <summary>
    /// Places a record in the chain and queues it; the caller holds one unit of room. With
    /// <paramref name="commitHereIfIdle"/>, when the writer is idle and nothing is queued, the record is not queued:
    /// <paramref name="commitHere"/> is true and the caller holds the database lock, taken before the chain lock was
    /// released, so a record chained after this one cannot be committed before it; the caller commits it, releases
    /// the lock and clears <see cref="_committingHere"/>.
    /// </summary>
    private PendingRecord Enqueue(DecisionDraft draft, bool commitHereIfIdle, out bool commitHere)
    {
        PendingRecord pending;
        bool wake;
        commitHere = false;
        lock (_lock)
        {
            try
            {
                ThrowIfUnusable();
                DateTimeOffset now = _time.GetUtcNow();
                // Never earlier than the previous record, so timestamps along a chain do not go backwards.
                UnsignedDecision unsigned = DecisionRecord.Prepare(Agent, draft, _head.Sequence + 1, _head.Hash, _head.Timestamp > now ? _head.Timestamp : now);
                pending = new PendingRecord(unsigned, _identity);
            }
            catch
            {
                _room.Release();
                throw;
            }

            _last = pending;
            _head = new ChainHead(pending.Unsigned.Sequence, pending.Unsigned.Hash, pending.Unsigned.Timestamp);
            // One caller at a time: while it commits, holding the database lock and then taking the chain lock, the
            // others queue for the writer (waiting for the database lock here, holding the chain lock, would deadlock).
            if (commitHereIfIdle && _writerIdle && !_committingHere && _queue.Count == 0)
            {
                _committingHere = true;
                _db.Enter();
                commitHere = true;
                return pending;
            }

            _queue.Enqueue(pending);
            wake = _writerIdle;
            _writerIdle = false;
        }

        if (wake)
        {
            _wake.Set();
        }

        // Signed ahead on the thread pool, so signatures are made while the writer commits the batch before.
        ThreadPool.UnsafeQueueUserWorkItem(pending, preferLocal: false);
        return pending;
    }

    /// <summary>
    /// Why the graph accepts no more appends, or null while it does: a commit failed (the disk is full, the file went
    /// away) or the graph was disposed. The graph's health check reports it.
    /// </summary>
    public string? Unusable
    {
        get
        {
            lock (_lock)
            {
                return _closing ? "the graph is closed" : _failure?.Message;
            }
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_closing, this);
        if (_failure is { } failure)
        {
            throw new DecisionGraphException(failure.Message, failure);
        }
    }

    /// <summary>The writer thread: takes the records waiting, up to a batch, signs them and commits them.</summary>
    private void WriterLoop()
    {
        var batch = new List<PendingRecord>(Math.Min(_options.MaxBatchRecords, 4096));
        while (true)
        {
            lock (_lock)
            {
                while (batch.Count < _options.MaxBatchRecords && _queue.TryDequeue(out var pending))
                {
                    batch.Add(pending);
                }

                if (batch.Count == 0)
                {
                    if (_closing)
                    {
                        return;
                    }

                    _writerIdle = true;
                }
            }

            if (batch.Count == 0)
            {
                _wake.WaitOne();
                continue;
            }

            Commit(batch);
            batch.Clear();
        }
    }

    /// <summary>
    /// Commits a batch in one transaction, then acknowledges it. Its records were queued to be signed on the thread
    /// pool as they arrived; those no pool thread has taken yet are signed here.
    /// </summary>
    private void Commit(List<PendingRecord> batch)
    {
        try
        {
            lock (_db)
            {
                using SqliteTransaction transaction = _connection.BeginTransaction();
                _insert.Transaction = transaction;
                foreach (var pending in batch)
                {
                    DecisionRecord record = pending.WaitSigned();
                    _insert.Parameters[0].Value = record.Sequence;
                    _insert.Parameters[1].Value = record.Hash.Bytes.ToArray();
                    _insert.Parameters[2].Value = record.Bytes.ToArray();
                    _insert.ExecuteNonQuery();
                }

                transaction.Commit();
                _insert.Transaction = null;
            }
        }
        catch (Exception e)
        {
            Fail(batch, e);
            return;
        }

        lock (_lock)
        {
            _latest = batch[^1].Record;
            if (ReferenceEquals(_last, batch[^1]))
            {
                _last = null;
            }
        }

        _room.Release(batch.Count);
        foreach (var pending in batch)
        {
            pending.Done.TrySetResult(pending.Record!);
        }
    }

    /// <summary>
    /// A commit failed: the batch and every record queued after it (chained onto it) are not appended, and the graph
    /// refuses appends from now on: after a failed fsync, what the file holds is unknown until it is reopened.
    /// </summary>
    private void Fail(List<PendingRecord> batch, Exception error)
    {
        var failure = new DecisionGraphException(
            $"Committing records #{batch[0].Unsigned.Sequence}–#{batch[^1].Unsigned.Sequence} to '{Path}' failed ({error.Message}); " +
            "no record from the first of them on was appended, and the graph accepts no more appends: dispose it and open it again.", error);
        List<PendingRecord> failed = [.. batch];
        lock (_lock)
        {
            _failure = failure;
            while (_queue.TryDequeue(out var pending))
            {
                failed.Add(pending);
            }

            _last = null;
        }

        _room.Release(failed.Count);
        foreach (var pending in failed)
        {
            pending.Done.TrySetException(failure);
        }
    }

    /// <summary>Stops accepting appends and waits for the writer to commit what is queued; false when already stopped.</summary>
    private bool StopWriter()
    {
        lock (_lock)
        {
            if (_closing)
            {
                return false;
            }

            _closing = true;
            _writerIdle = false;
        }

        _wake.Set();
        if (Thread.CurrentThread != _writer)
        {
            _writer.Join();
        }

        return true;
    }

    /// <summary>The newest record in the chain, committed or waiting.</summary>
    private readonly record struct ChainHead(long Sequence, DecisionHash Hash, DateTimeOffset Timestamp);

    /// <summary>
    /// A record placed in the chain, waiting for its signature and its batch's commit. Whoever comes first signs it:
    /// a pool thread (it is queued as a work item) or the writer when the batch's turn comes.
    /// </summary>
    private sealed class PendingRecord(UnsignedDecision unsigned, Synapse.Identity.AgentIdentity identity) : IThreadPoolWorkItem
    {
        private const int Waiting = 0, Signing = 1, Signed = 2;
        private int _state;
        private DecisionRecord? _record;
        private Exception? _signingError;

        public UnsignedDecision Unsigned { get; } = unsigned;

        public TaskCompletionSource<DecisionRecord> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DecisionRecord? Record => Volatile.Read(ref _state) == Signed ? _record : null;

        /// <summary>Signs the record unless another thread has taken it.</summary>
        public void Execute()
        {
            if (Interlocked.CompareExchange(ref _state, Signing, Waiting) != Waiting)
            {
                return;
            }

            try
            {
                _record = Unsigned.Sign(identity);
            }
            catch (Exception e)
            {
                _signingError = e;
            }

            Volatile.Write(ref _state, Signed);
        }

        /// <summary>The signed record: signs it here, or waits for the thread signing it (a few microseconds).</summary>
        public DecisionRecord WaitSigned()
        {
            Execute();
            var spin = new SpinWait();
            while (Volatile.Read(ref _state) != Signed)
            {
                spin.SpinOnce();
            }

            return _record ?? throw new InvalidOperationException($"Signing record #{Unsigned.Sequence} failed: {_signingError!.Message}", _signingError);
        }

        public DecisionAppend ToAppend() => new(Unsigned.Sequence, Unsigned.Hash, Done.Task);
    }
}
