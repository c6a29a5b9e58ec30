namespace Synapse.Hosting;

/// <summary>
/// The limit of calls in flight on a multiplexed connection (<see cref="AgentHostOptions.MaxConcurrentCallsPerConnection"/>):
/// a request takes a slot before it runs and gives it back once its response is written. When none is free the
/// reader waits for one, and the slot it waited for goes to the request that waited.
/// </summary>
internal sealed class CallSlots(int limit)
{
    private readonly SemaphoreSlim _free = new(limit);
    private bool _granted;

    /// <summary>Slots neither taken nor granted.</summary>
    public int Free => _free.CurrentCount;

    /// <summary>Takes a slot for the next request: the one <see cref="WaitAsync"/> granted, else a free one; false when none is free.</summary>
    public bool TryTake()
    {
        if (_granted)
        {
            _granted = false;
            return true;
        }

        return _free.Wait(0);
    }

    /// <summary>Waits until a slot is free and keeps it for the next <see cref="TryTake"/>.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _free.WaitAsync(cancellationToken).ConfigureAwait(false);
        _granted = true;
    }

    /// <summary>Gives a slot back (a response was written).</summary>
    public void Release() => _free.Release();
}
