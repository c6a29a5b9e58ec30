namespace Synapse.Relay.Server;

/// <summary>An auto-resetting signal one waiter awaits: <see cref="Set"/> wakes the current or the next wait.</summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the waiter.</summary>
    public void Set() => Volatile.Read(ref _next).TrySetResult();

    /// <summary>Waits for the next <see cref="Set"/>, at most <paramref name="timeout"/>; false on timeout.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _next);
        try
        {
            await signal.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            Interlocked.CompareExchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
        }

        return true;
    }
}
