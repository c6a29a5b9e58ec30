namespace Synapse.Tests.Relay;

/// <summary>A clock whose timers fire only when the test advances it; it remembers every delay asked for.</summary>
internal sealed class ManualTimers : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _pending = [];
    private readonly List<TimeSpan> _requested = [];
    private long _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>The timers waiting to fire.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Every non-zero due time asked for, in order.</summary>
    public IReadOnlyList<TimeSpan> Requested
    {
        get
        {
            lock (_lock)
            {
                return [.. _requested];
            }
        }
    }

    public override long GetTimestamp() => Interlocked.Read(ref _now);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(GetTimestamp());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on and fires the timers now due (one-shot: periods are not repeated).</summary>
    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_lock)
        {
            _now += by.Ticks;
            due = _pending.Where(timer => timer.DueAt <= _now).ToList();
            _pending.RemoveAll(due.Contains);
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime)
    {
        lock (_lock)
        {
            _pending.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            if (dueTime <= TimeSpan.Zero)
            {
                ThreadPool.QueueUserWorkItem(_ => timer.Fire()); // not inline: the caller may still be constructing
                return;
            }

            _requested.Add(dueTime);
            timer.DueAt = _now + dueTime.Ticks;
            _pending.Add(timer);
        }
    }

    private void Cancel(ManualTimer timer)
    {
        lock (_lock)
        {
            _pending.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimers owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueAt { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Cancel(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
