using System.Runtime.CompilerServices;
using Synapse.MessagePack;

namespace Synapse.Tasks;

/// <summary>
/// One task on a host: where it stands, the last updates it made (a ring bounded in count and in bytes, so memory per
/// task is bounded), and the
/// signal its subscribers wait on. State changes go through <see cref="Transition"/>, reports through
/// <see cref="Report"/>; both number the update and wake the subscribers.
/// </summary>
internal sealed class AgentTaskEntry
{
    /// <summary>Sequence numbers are reserved in the store this many at a time, so a restart never reuses one.</summary>
    internal const int SequenceBlock = 1024;

    private readonly Lock _gate = new();
    private readonly int _maxUpdates;
    private readonly long _maxUpdateBytes;
    private Update[] _updates = new Update[4];
    private int _first;
    private int _count;
    private long _bytes;
    private long _sequence;
    private long _reserved;
    private TaskCompletionSource _changed = NewSignal();
    private TaskCompletionSource<MsgPackValue>? _input;

    /// <summary>A task being started now.</summary>
    public AgentTaskEntry(string id, string endpoint, ReadOnlyMemory<byte> arguments, ReadOnlyMemory<byte> keywordArguments, string? owner, AgentTaskOptions options)
    {
        Id = id;
        Endpoint = endpoint;
        Arguments = arguments;
        KeywordArguments = keywordArguments;
        Owner = owner;
        Created = Updated = DateTimeOffset.UtcNow;
        _maxUpdates = options.MaxUpdatesKept;
        _maxUpdateBytes = options.MaxUpdateBytesKept;
    }

    /// <summary>A task a store kept; its updates before the restart are gone, its numbering resumes above them.</summary>
    public AgentTaskEntry(AgentTaskRecord record, AgentTaskOptions options)
        : this(record.Id, record.Endpoint, record.Arguments, record.KeywordArguments, record.Owner, options)
    {
        Created = record.Created;
        Updated = record.Updated;
        State = record.State;
        Attempt = record.Attempt;
        Result = record.Result is { } result ? MsgPackValue.Parse(result) : null;
        ErrorCode = record.ErrorCode;
        ErrorMessage = record.ErrorMessage;
        Prompt = record.Prompt;
        _sequence = _reserved = record.Sequence;
    }

    public string Id { get; }

    public string Endpoint { get; }

    public ReadOnlyMemory<byte> Arguments { get; }

    public ReadOnlyMemory<byte> KeywordArguments { get; }

    public string? Owner { get; }

    public DateTimeOffset Created { get; }

    public DateTimeOffset Updated { get; private set; }

    public AgentTaskState State { get; private set; }

    public int Attempt { get; set; }

    public MsgPackValue? Progress { get; private set; }

    public MsgPackValue? Result { get; private set; }

    public string? ErrorCode { get; private set; }

    public string? ErrorMessage { get; private set; }

    public string? Prompt { get; private set; }

    /// <summary>Cancelled when the caller cancels the task.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Held while the entry is written to the store, so the newest state is the last one written.</summary>
    public Lock SaveGate { get; } = new();

    /// <summary>Moves to <paramref name="state"/>; false when the task had ended already (a cancel racing its completion).</summary>
    public bool Transition(AgentTaskState state, MsgPackValue? result = null, string? errorCode = null, string? errorMessage = null, string? prompt = null)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (State.IsFinal())
            {
                return false;
            }

            (State, Result, ErrorCode, ErrorMessage, Prompt, Updated) = (state, result, errorCode, errorMessage, prompt, DateTimeOffset.UtcNow);
            changed = AppendLocked(new Update(0, AgentTaskUpdateKind.State, state, result, errorCode, errorMessage, prompt, 0));
        }

        changed.TrySetResult();
        return true;
    }

    /// <summary>Records a progress report or a partial result of <paramref name="size"/> encoded bytes; true when a new block of sequence numbers must be saved.</summary>
    public bool Report(AgentTaskUpdateKind kind, MsgPackValue value, int size)
    {
        TaskCompletionSource changed;
        bool reserved;
        lock (_gate)
        {
            if (State.IsFinal())
            {
                return false;
            }

            if (kind == AgentTaskUpdateKind.Progress)
            {
                Progress = value;
            }

            var before = _reserved;
            changed = AppendLocked(new Update(0, kind, State, value, null, null, null, size));
            reserved = _reserved != before;
        }

        changed.TrySetResult();
        return reserved;
    }

    /// <summary>Starts waiting for the caller's answer to a prompt.</summary>
    /// <exception cref="InvalidOperationException">The task waits for another answer already.</exception>
    public Task<MsgPackValue> ExpectInput()
    {
        lock (_gate)
        {
            if (_input is not null)
            {
                throw new InvalidOperationException($"task {Id} is waiting for an answer already: ask one question at a time");
            }

            _input = new TaskCompletionSource<MsgPackValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _input.Task;
        }
    }

    /// <summary>Stops waiting for an answer that did not come (timed out, cancelled); true when the task went back to working.</summary>
    public bool ForgetInput()
    {
        TaskCompletionSource? changed = null;
        lock (_gate)
        {
            _input = null;
            if (State == AgentTaskState.InputRequired)
            {
                changed = WorkAgainLocked();
            }
        }

        changed?.TrySetResult();
        return changed is not null;
    }

    /// <summary>Hands the caller's answer to the waiting task, which is working again at once; false when it waits for none.</summary>
    public bool Answer(MsgPackValue value)
    {
        TaskCompletionSource<MsgPackValue> input;
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (State != AgentTaskState.InputRequired || _input is null)
            {
                return false;
            }

            (input, _input) = (_input, null);
            changed = WorkAgainLocked();
        }

        changed.TrySetResult();
        input.TrySetResult(value);
        return true;
    }

    /// <summary>The task as it stands.</summary>
    public AgentTaskInfo Describe()
    {
        lock (_gate)
        {
            return new AgentTaskInfo(Id, Endpoint, State, _sequence, Attempt, Created, Updated, Progress, Result, ErrorCode, ErrorMessage, Prompt);
        }
    }

    /// <summary>The task as a store keeps it.</summary>
    public AgentTaskRecord ToRecord()
    {
        lock (_gate)
        {
            return new AgentTaskRecord
            {
                Id = Id,
                Endpoint = Endpoint,
                Arguments = Arguments,
                KeywordArguments = KeywordArguments,
                Owner = Owner,
                State = State,
                Created = Created,
                Updated = Updated,
                Sequence = Math.Max(_reserved, _sequence),
                Attempt = Attempt,
                Result = Result is { } result ? result.ToBytes() : default(ReadOnlyMemory<byte>?),
                ErrorCode = ErrorCode,
                ErrorMessage = ErrorMessage,
                Prompt = Prompt,
            };
        }
    }

    /// <summary>
    /// The updates after <paramref name="after"/>, then each new one as it is made, until the final one. Where the ring
    /// no longer holds what comes next, a snapshot stands in for the missing updates.
    /// </summary>
    public async IAsyncEnumerable<AgentTaskUpdate> FollowAsync(long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = after;
        var batch = new List<AgentTaskUpdate>();
        while (true)
        {
            Task changed;
            bool ended;
            lock (_gate)
            {
                changed = _changed.Task;
                ended = State.IsFinal();
                cursor = CollectLocked(cursor, batch);
            }

            foreach (var update in batch)
            {
                yield return update;
            }

            batch.Clear();
            if (ended)
            {
                yield break;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private long CollectLocked(long cursor, List<AgentTaskUpdate> batch)
    {
        if (cursor == _sequence)
        {
            return cursor;
        }

        var oldest = _count == 0 ? _sequence + 1 : _updates[_first].Sequence;
        if (cursor > _sequence || cursor + 1 < oldest)
        {
            batch.Add(new AgentTaskUpdate(Id, _sequence, AgentTaskUpdateKind.Snapshot, State, Result ?? Progress, ErrorCode, ErrorMessage, Prompt));
            return _sequence;
        }

        for (var i = 0; i < _count; i++)
        {
            var update = _updates[(_first + i) % _updates.Length];
            if (update.Sequence > cursor)
            {
                batch.Add(new AgentTaskUpdate(Id, update.Sequence, update.Kind, update.State, update.Value, update.ErrorCode, update.ErrorMessage, update.Prompt));
            }
        }

        return _sequence;
    }

    private TaskCompletionSource WorkAgainLocked()
    {
        (State, Prompt, Updated) = (AgentTaskState.Working, null, DateTimeOffset.UtcNow);
        return AppendLocked(new Update(0, AgentTaskUpdateKind.State, State, null, null, null, null, 0));
    }

    private TaskCompletionSource AppendLocked(Update update)
    {
        _sequence++;
        if (_sequence > _reserved)
        {
            _reserved = _sequence + SequenceBlock - 1;
        }

        if (_count == _updates.Length)
        {
            if (_updates.Length < _maxUpdates)
            {
                GrowLocked(); // most tasks make a few updates: the ring starts small
            }
            else
            {
                DropOldestLocked();
            }
        }

        _updates[(_first + _count++) % _updates.Length] = update with { Sequence = _sequence };
        _bytes += update.Size;
        while (_bytes > _maxUpdateBytes && _count > 1)
        {
            DropOldestLocked(); // the newest stays, whatever its size
        }

        var changed = _changed;
        _changed = NewSignal();
        return changed;
    }

    private void GrowLocked()
    {
        var grown = new Update[Math.Min(_updates.Length * 2, _maxUpdates)];
        for (var i = 0; i < _count; i++)
        {
            grown[i] = _updates[(_first + i) % _updates.Length];
        }

        (_updates, _first) = (grown, 0);
    }

    private void DropOldestLocked()
    {
        _bytes -= _updates[_first].Size;
        _updates[_first] = default;
        _first = (_first + 1) % _updates.Length;
        _count--;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly record struct Update(long Sequence, AgentTaskUpdateKind Kind, AgentTaskState State, MsgPackValue? Value, string? ErrorCode, string? ErrorMessage, string? Prompt, int Size);
}
