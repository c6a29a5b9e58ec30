using Synapse.MessagePack;

namespace Synapse.Swarm.Teams;

/// <summary>Does one team task: returns its result, or throws to fail it. Cancelled when the worker is disposed.</summary>
/// <param name="assignment">The task granted to this worker.</param>
/// <param name="cancellationToken">Cancelled when the worker stops.</param>
public delegate Task<MsgPackValue> SwarmTaskHandler(SwarmAssignment assignment, CancellationToken cancellationToken);

/// <summary>
/// Takes team tasks, as synapse-p2p's <c>Worker</c> does (§1.11): claims each offer whose required capabilities it has
/// (pending ones too, when it starts), runs the task when its claim is granted, renews the lease with
/// <c>heartbeat</c> progress while it runs, and ends it with <c>task.done</c> or <c>task.failed</c>.
/// </summary>
public sealed class SwarmWorker : IAsyncDisposable
{
    private readonly SwarmNode _node;
    private readonly SwarmTaskHandler _handler;
    private readonly SwarmWorkerOptions _options;
    private readonly Dictionary<string, Claim> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly IDisposable[] _subscriptions;
    private readonly CancellationTokenSource _stop = new();

    /// <summary>A worker on <paramref name="node"/> that runs granted tasks with <paramref name="handler"/>.</summary>
    /// <param name="node">The swarm node the worker speaks through.</param>
    /// <param name="handler">Does a task.</param>
    /// <param name="options">Timeouts, capabilities and concurrency; the defaults when <c>null</c>.</param>
    public SwarmWorker(SwarmNode node, SwarmTaskHandler handler, SwarmWorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(handler);
        _node = node;
        _handler = handler;
        _options = options ?? new SwarmWorkerOptions();
        _options.Validate();
        Capabilities = _options.Capabilities ?? node.Self.Capabilities;
        _subscriptions = [node.OnConversationEvent(TeamEvents.Offer, e => Offered(e)), node.OnConversationEvent(TeamEvents.Grant, e => Granted(e))];
        ClaimPending();
    }

    /// <summary>The capabilities the worker claims with.</summary>
    public IReadOnlyList<string> Capabilities { get; }

    /// <summary>The ids of the tasks running now.</summary>
    public IReadOnlyList<string> Running
    {
        get
        {
            lock (_lock)
            {
                return [.. _running.Keys];
            }
        }
    }

    /// <summary>Stops claiming, cancels the running tasks and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_lock)
        {
            running = [.. _running.Values];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Claims the offers already in the log that no one was granted and that did not end.</summary>
    private void ClaimPending()
    {
        foreach (var conversation in _node.Conversations.ConversationIds)
        {
            var events = _node.Conversations.Get(conversation);
            var offer = events.LastOrDefault(e => e.Kind == TeamEvents.Offer);
            if (offer is not null && !events.SkipWhile(e => !ReferenceEquals(e, offer)).Any(e => e.Kind is TeamEvents.Grant or TeamEvents.Done or TeamEvents.Failed))
            {
                Offered(offer);
            }
        }
    }

    private void Offered(SwarmConversationEvent offer)
    {
        var (taskId, _, _, requires, attempt) = TeamEvents.ReadOffer(offer);
        if (!requires.All(Capabilities.Contains))
        {
            return;
        }

        var now = _node.Membership.Now;
        lock (_lock)
        {
            foreach (var stale in _claims.Where(c => now - c.Value.At > _options.ClaimTimeout.TotalSeconds).Select(c => c.Key).ToList())
            {
                _claims.Remove(stale);
            }

            var known = _claims.TryGetValue(taskId, out var claimed);
            if (_stop.IsCancellationRequested || _running.ContainsKey(taskId) || _running.Count >= _options.MaxConcurrentTasks
                || (known && claimed!.Attempt >= attempt) || (!known && _claims.Count >= _options.MaxPendingClaims))
            {
                return;
            }

            _claims[taskId] = new Claim(offer, attempt, now);
        }

        var payload = MsgPackValue.Map(("task_id", taskId), ("attempt", attempt), ("capabilities", MsgPackValue.FromArray(Capabilities.Select(c => MsgPackValue.From(c)))));
        _ = Task.Run(() => EmitAsync(taskId, TeamEvents.Claim, payload, offer.EventId));
    }

    private void Granted(SwarmConversationEvent grant)
    {
        var taskId = TeamEvents.TaskId(grant);
        if (TeamEvents.Text(grant.Payload, "worker_id") != _node.Membership.SelfId)
        {
            return;
        }

        SwarmAssignment assignment;
        lock (_lock)
        {
            // Only the team that made the offer grants it, and only to a claim this worker still holds.
            if (_stop.IsCancellationRequested || !_claims.Remove(taskId, out var claim) || claim.Offer.Peer.Id != grant.Peer.Id || _running.ContainsKey(taskId))
            {
                return;
            }

            assignment = new SwarmAssignment(_node, claim.Offer, (int)claim.Attempt);
            _running[taskId] = Task.Run(() => RunAsync(assignment));
        }
    }

    private async Task RunAsync(SwarmAssignment assignment)
    {
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var renewals = RenewAsync(assignment.TaskId, renewing.Token);
        try
        {
            MsgPackValue result;
            try
            {
                result = await _handler(assignment, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return; // the worker stops: the team offers the task again once the lease runs out
            }
            catch (Exception e)
            {
                SwarmLog.WorkerTaskFailed(_node.Logger, e, assignment.TaskId, assignment.Attempt);
                await renewing.CancelAsync().ConfigureAwait(false);
                await EmitAsync(assignment.TaskId, TeamEvents.Failed, MsgPackValue.Map(("task_id", assignment.TaskId), ("error", e.Message)), null).ConfigureAwait(false);
                return;
            }

            await renewing.CancelAsync().ConfigureAwait(false);
            await EmitAsync(assignment.TaskId, TeamEvents.Done, MsgPackValue.Map(("task_id", assignment.TaskId), ("result", result ?? MsgPackValue.Nil)), null).ConfigureAwait(false);
        }
        finally
        {
            await renewing.CancelAsync().ConfigureAwait(false);
            await renewals.ConfigureAwait(false);
            lock (_lock)
            {
                _running.Remove(assignment.TaskId);
            }
        }
    }

    /// <summary>Renews the lease every <see cref="SwarmWorkerOptions.RenewInterval"/> while the task runs.</summary>
    private async Task RenewAsync(string taskId, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.RenewInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await EmitAsync(taskId, TeamEvents.Progress, MsgPackValue.Map(("task_id", taskId), ("message", "working"), ("heartbeat", true)), null).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The task ended.
        }
    }

    private Task EmitAsync(string taskId, string kind, MsgPackValue payload, string? parentId) => TeamEvents.EmitAsync(_node, taskId, kind, payload, parentId);

    private sealed record Claim(SwarmConversationEvent Offer, long Attempt, double At);
}

/// <summary>A team task granted to this worker.</summary>
public sealed class SwarmAssignment
{
    private readonly SwarmNode _node;

    internal SwarmAssignment(SwarmNode node, SwarmConversationEvent offer, int attempt)
    {
        _node = node;
        (TaskId, Title, Spec, Requires, _) = TeamEvents.ReadOffer(offer);
        Attempt = attempt;
        Team = offer.Peer;
    }

    /// <summary>The task's id, also its conversation's.</summary>
    public string TaskId { get; }

    /// <summary>What the task is.</summary>
    public string Title { get; }

    /// <summary>Its details.</summary>
    public MsgPackValue Spec { get; }

    /// <summary>The capabilities it requires.</summary>
    public IReadOnlyList<string> Requires { get; }

    /// <summary>Which attempt this is, from 1.</summary>
    public int Attempt { get; }

    /// <summary>The team's node, which offered the task.</summary>
    public SwarmPeer Team { get; }

    /// <summary>Reports progress (<c>task.progress {task_id, message, …data}</c>), which also renews the lease.</summary>
    /// <param name="message">What is happening.</param>
    /// <param name="data">More keys for the payload.</param>
    /// <param name="cancellationToken">Stops waiting for the peers to be told.</param>
    public Task ProgressAsync(string message, IReadOnlyDictionary<string, MsgPackValue>? data = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = new List<KeyValuePair<string, MsgPackValue>> { new("task_id", TaskId), new("message", message) };
        payload.AddRange((data ?? new Dictionary<string, MsgPackValue>()).Where(d => d.Key is not ("task_id" or "message")));
        return _node.EmitAsync(TaskId, TeamEvents.Progress, MsgPackValue.FromMap(payload.ToArray()), cancellationToken: cancellationToken);
    }
}
