using Synapse.Rpc;

namespace Synapse.Hosting;

/// <summary>
/// The calls a connection has started and not yet recycled: counted, so the connection can wait for them before it
/// closes, and, while a response is pending, registered by request id so the call can be cancelled (a cancel
/// notice, the caller leaving, the connection failing).
/// </summary>
internal sealed class RunningCalls
{
    private readonly Dictionary<string, RpcInvocation> _byId = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource? _drained;

    /// <summary>Calls started and not yet ended.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Counts a call that starts.</summary>
    public void Started() => Interlocked.Increment(ref _count);

    /// <summary>Counts a call that ended; the last one releases <see cref="WaitUntilNoneAsync"/>.</summary>
    public void Ended()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            Volatile.Read(ref _drained)?.TrySetResult();
        }
    }

    /// <summary>Registers a call whose response is pending, so it can be cancelled by its id.</summary>
    public void Track(RpcInvocation invocation)
    {
        lock (_gate)
        {
            invocation.Tracked = true;
            _byId[invocation.RequestId] = invocation;
        }
    }

    /// <summary>
    /// Unregisters a call before it is recycled: under the lock cancellers hold, so nothing can cancel the object once
    /// it is back in the pool. A later call that reused the id stays registered.
    /// </summary>
    public void Untrack(RpcInvocation invocation)
    {
        if (!invocation.Tracked)
        {
            return;
        }

        lock (_gate)
        {
            if (_byId.TryGetValue(invocation.RequestId, out var running) && ReferenceEquals(running, invocation))
            {
                _byId.Remove(invocation.RequestId);
            }
        }
    }

    /// <summary>Cancels the registered call with this id, if any (a cancel notice).</summary>
    public void Cancel(string id)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(id, out var invocation))
            {
                invocation.Cancel();
            }
        }
    }

    /// <summary>Grants more items to the registered streaming call with this id, if any (a credit notice).</summary>
    public void Grant(string id, int credits)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(id, out var invocation))
            {
                invocation.GrantCredit(credits);
            }
        }
    }

    /// <summary>Cancels this call if it is still registered.</summary>
    public void Cancel(RpcInvocation invocation)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(invocation.RequestId, out var running) && ReferenceEquals(running, invocation))
            {
                invocation.Cancel();
            }
        }
    }

    /// <summary>Cancels every registered call.</summary>
    public void CancelAll()
    {
        lock (_gate)
        {
            foreach (var invocation in _byId.Values)
            {
                invocation.Cancel();
            }
        }
    }

    /// <summary>Completes when no call is left, or when <paramref name="stop"/> fires.</summary>
    public async Task WaitUntilNoneAsync(CancellationToken stop)
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _drained, drained);
        if (Count == 0)
        {
            return;
        }

        try
        {
            await drained.Task.WaitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
