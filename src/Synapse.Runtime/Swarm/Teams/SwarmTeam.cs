using Synapse.MessagePack;

namespace Synapse.Swarm.Teams;

/// <summary>
/// Long-running work across a swarm, as synapse-p2p's <c>Team</c> does it (§1.11): <see cref="OfferAsync"/> offers a
/// task as a conversation; the first capable worker to claim the current attempt is granted it; its progress renews
/// the lease, and its <c>task.done</c> or <c>task.failed</c> ends it. A task silent for a whole
/// <see cref="SwarmTeamOptions.Lease"/> is offered again, up to <see cref="SwarmTeamOptions.MaxAttempts"/>, so delivery
/// is at least once. Only a worker the team granted the task to can end it. <see cref="Restore"/> rebuilds the table
/// from the node's conversation log (durable with <see cref="SwarmOptions.ConversationLog"/>).
/// </summary>
public sealed class SwarmTeam : IAsyncDisposable
{
    private static readonly string[] Kinds = [TeamEvents.Offer, TeamEvents.Claim, TeamEvents.Grant, TeamEvents.Progress, TeamEvents.Done, TeamEvents.Failed];
    private readonly SwarmNode _node;
    private readonly SwarmTeamOptions _options;
    private readonly Dictionary<string, Entry> _tasks = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly IDisposable[] _subscriptions;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reaper;

    /// <summary>A team that offers tasks from <paramref name="node"/>.</summary>
    /// <param name="node">The swarm node the team speaks through.</param>
    /// <param name="options">Lease, attempts and retention; the defaults when <c>null</c>.</param>
    public SwarmTeam(SwarmNode node, SwarmTeamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        _node = node;
        _options = options ?? new SwarmTeamOptions();
        _options.Validate();
        _subscriptions = [.. Kinds.Select(kind => node.OnConversationEvent(kind, e => Apply(e, live: true)))];
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, _options.Lease.Ticks / 4));
        _reaper = Task.Run(() => ReapLoopAsync(period, _stop.Token));
    }

    /// <summary>The tasks in the team's table.</summary>
    public IReadOnlyList<SwarmTeamTask> Tasks
    {
        get
        {
            lock (_lock)
            {
                return [.. _tasks.Values.Select(e => e.Snapshot())];
            }
        }
    }

    /// <summary>The task <paramref name="taskId"/>, or <c>null</c> when the team does not have it.</summary>
    public SwarmTeamTask? Get(string taskId)
    {
        lock (_lock)
        {
            return _tasks.TryGetValue(taskId, out var entry) ? entry.Snapshot() : null;
        }
    }

    /// <summary>Offers a task to the swarm: a <c>task.offer</c> event, attempt 1, in a new conversation named by the task id.</summary>
    /// <param name="title">What the task is.</param>
    /// <param name="spec">Its details, a map (empty when <c>null</c>).</param>
    /// <param name="requires">The capabilities a worker needs to claim it.</param>
    /// <param name="cancellationToken">Stops waiting for the peers to be told.</param>
    /// <returns>The task as offered.</returns>
    public async Task<SwarmTeamTask> OfferAsync(string title, MsgPackValue? spec = null, IEnumerable<string>? requires = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(title);
        if (spec is not null && spec.Type != MsgPackType.Map)
        {
            throw new ArgumentException("a task's spec is a map", nameof(spec));
        }

        var taskId = Guid.CreateVersion7().ToString();
        await _node.EmitAsync(taskId, TeamEvents.Offer, OfferPayload(taskId, title, spec ?? SwarmConversationEvent.EmptyMap, [.. requires ?? []], 1), cancellationToken: cancellationToken).ConfigureAwait(false);
        return Get(taskId)!; // the team applied its own offer as it was stored
    }

    /// <summary>Waits until <paramref name="taskId"/> is done and returns it.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="timeout">How long to wait; forever when <c>null</c>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="SwarmTeamTaskException">The task failed.</exception>
    /// <exception cref="KeyNotFoundException">The team has no such task.</exception>
    /// <exception cref="TimeoutException">It did not finish within <paramref name="timeout"/>.</exception>
    public async Task<SwarmTeamTask> WaitAsync(string taskId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Task<SwarmTeamTask> finished;
        lock (_lock)
        {
            finished = _tasks.TryGetValue(taskId, out var entry) ? entry.Finished.Task : throw new KeyNotFoundException($"unknown team task: {taskId}");
        }

        var task = timeout is { } limit ? await finished.WaitAsync(limit, cancellationToken).ConfigureAwait(false) : await finished.WaitAsync(cancellationToken).ConfigureAwait(false);
        return task.State == SwarmTeamTaskState.Done ? task : throw new SwarmTeamTaskException(task);
    }

    /// <summary>
    /// Rebuilds the table from the node's conversation log: every task this node offered, in the state its events
    /// left it. An unfinished task's lease counts from its last event, so one whose worker went silent meanwhile is
    /// offered again at the next reaping.
    /// </summary>
    /// <returns>How many tasks the table holds.</returns>
    public int Restore()
    {
        foreach (var conversation in _node.Conversations.ConversationIds)
        {
            foreach (var stored in _node.Conversations.Get(conversation))
            {
                if (Kinds.Contains(stored.Kind))
                {
                    Apply(stored, live: false);
                }
            }
        }

        lock (_lock)
        {
            return _tasks.Count;
        }
    }

    /// <summary>
    /// One reaping, as the team runs every quarter lease: tasks silent for a lease are offered again or, past
    /// <see cref="SwarmTeamOptions.MaxAttempts"/>, failed; finished tasks past <see cref="SwarmTeamOptions.TaskRetention"/> are dropped.
    /// </summary>
    public async Task ReapAsync(CancellationToken cancellationToken = default)
    {
        var now = _node.Membership.Now;
        var reoffers = new List<(Entry Entry, int Attempt)>();
        var failures = new List<Entry>();
        lock (_lock)
        {
            foreach (var entry in _tasks.Values.ToList())
            {
                if (entry.IsFinished)
                {
                    if (_options.TaskRetention is { } retention && now - entry.FinishedAt > retention.TotalSeconds)
                    {
                        _tasks.Remove(entry.TaskId);
                    }
                }
                else if (now - entry.LastActivity > _options.Lease.TotalSeconds)
                {
                    entry.LastActivity = now; // one re-offer per lease, even if sending it is slow
                    if (_options.MaxAttempts is { } max && entry.Attempt >= max)
                    {
                        failures.Add(entry);
                    }
                    else
                    {
                        reoffers.Add((entry, entry.Attempt + 1));
                    }
                }
            }
        }

        var sends = reoffers.Select(r =>
        {
            SwarmLog.TaskReoffered(_node.Logger, r.Entry.TaskId, r.Attempt);
            return EmitAsync(r.Entry.TaskId, TeamEvents.Offer, OfferPayload(r.Entry.TaskId, r.Entry.Title, r.Entry.Spec, r.Entry.Requires, r.Attempt), null, cancellationToken);
        }).Concat(failures.Select(f => EmitAsync(f.TaskId, TeamEvents.Failed,
            MsgPackValue.Map(("task_id", f.TaskId), ("error", $"no worker completed the task after {f.Attempt} attempts")), null, cancellationToken)));
        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    /// <summary>Stops reaping and listening; waiters keep waiting.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _reaper.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static MsgPackValue OfferPayload(string taskId, string title, MsgPackValue spec, IReadOnlyList<string> requires, int attempt) =>
        MsgPackValue.Map(("task_id", taskId), ("title", title), ("spec", spec), ("requires", MsgPackValue.FromArray(requires.Select(r => MsgPackValue.From(r)))), ("attempt", attempt));

    /// <summary>Moves a task on by one of its events; live events may answer (a grant), replayed ones only rebuild.</summary>
    private void Apply(SwarmConversationEvent stored, bool live)
    {
        var taskId = TeamEvents.TaskId(stored);
        var fromSelf = stored.Peer.Id == _node.Membership.SelfId;
        SwarmConversationEvent? claim = null;
        Entry? finished = null;
        lock (_lock)
        {
            if (stored.Kind == TeamEvents.Offer)
            {
                if (fromSelf)
                {
                    Offered(TeamEvents.ReadOffer(stored), stored.CreatedAt);
                }

                return;
            }

            if (!_tasks.TryGetValue(taskId, out var entry) || entry.IsFinished)
            {
                return;
            }

            var at = live ? _node.Membership.Now : stored.CreatedAt;
            switch (stored.Kind)
            {
                case TeamEvents.Claim when live && entry.State == SwarmTeamTaskState.Offered && TeamEvents.Integer(stored.Payload, "attempt") == entry.Attempt:
                    entry.Grant(stored.Peer.Id, stored.Peer.Name, at); // the first claim of the attempt wins
                    claim = stored;
                    break;
                case TeamEvents.Grant when fromSelf && TeamEvents.Text(stored.Payload, "worker_id") is { } worker:
                    entry.Grant(worker, TeamEvents.Text(stored.Payload, "worker_name"), Math.Max(entry.LastActivity, at));
                    break;
                case TeamEvents.Progress when stored.Peer.Id == entry.WorkerId:
                    entry.LastActivity = Math.Max(entry.LastActivity, at);
                    break;
                case TeamEvents.Done when entry.Granted.Contains(stored.Peer.Id):
                    entry.Finish(SwarmTeamTaskState.Done, stored.Payload["result"] ?? MsgPackValue.Nil, null, at);
                    finished = entry;
                    break;
                case TeamEvents.Failed when fromSelf || entry.Granted.Contains(stored.Peer.Id):
                    entry.Finish(SwarmTeamTaskState.Failed, null, TeamEvents.Text(stored.Payload, "error") ?? "failed", at);
                    finished = entry;
                    break;
            }
        }

        finished?.Finished.TrySetResult(finished.Snapshot());
        if (claim is not null)
        {
            _ = Task.Run(() => EmitAsync(taskId, TeamEvents.Grant, MsgPackValue.Map(("task_id", taskId), ("worker_id", claim.Peer.Id), ("worker_name", claim.Peer.Name)), claim.EventId, _stop.Token));
        }
    }

    private void Offered(TeamOffer offer, double createdAt)
    {
        var attempt = (int)offer.Attempt;
        if (!_tasks.TryGetValue(offer.TaskId, out var entry))
        {
            _tasks[offer.TaskId] = entry = new Entry(offer.TaskId, offer.Title, offer.Spec, offer.Requires);
        }

        if (!entry.IsFinished && attempt >= entry.Attempt)
        {
            entry.Attempt = attempt;
            entry.State = SwarmTeamTaskState.Offered;
            entry.WorkerId = null;
            entry.WorkerName = null;
            entry.LastActivity = Math.Max(entry.LastActivity, createdAt);
        }
    }

    private Task EmitAsync(string taskId, string kind, MsgPackValue payload, string? parentId, CancellationToken cancellationToken) =>
        TeamEvents.EmitAsync(_node, taskId, kind, payload, parentId, cancellationToken);

    private async Task ReapLoopAsync(TimeSpan period, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                await ReapAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The team is disposed.
        }
    }

    private sealed class Entry(string taskId, string title, MsgPackValue spec, IReadOnlyList<string> requires)
    {
        public string TaskId { get; } = taskId;

        public string Title { get; } = title;

        public MsgPackValue Spec { get; } = spec;

        public IReadOnlyList<string> Requires { get; } = requires;

        public int Attempt { get; set; }

        public SwarmTeamTaskState State { get; set; }

        public string? WorkerId { get; set; }

        public string? WorkerName { get; set; }

        /// <summary>Every worker the task was granted to: a late result of an earlier attempt still counts.</summary>
        public HashSet<string> Granted { get; } = new(StringComparer.Ordinal);

        public MsgPackValue? Result { get; private set; }

        public string? Error { get; private set; }

        public double LastActivity { get; set; }

        public double FinishedAt { get; private set; }

        public TaskCompletionSource<SwarmTeamTask> Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsFinished => State is SwarmTeamTaskState.Done or SwarmTeamTaskState.Failed;

        public void Grant(string workerId, string? workerName, double at)
        {
            State = SwarmTeamTaskState.Granted;
            WorkerId = workerId;
            WorkerName = workerName;
            Granted.Add(workerId);
            LastActivity = at;
        }

        public void Finish(SwarmTeamTaskState state, MsgPackValue? result, string? error, double at)
        {
            State = state;
            Result = result;
            Error = error;
            FinishedAt = at;
        }

        public SwarmTeamTask Snapshot() => new(TaskId, Title, Spec, Requires, Attempt, State, WorkerId, WorkerName, Result, Error, LastActivity);
    }
}
