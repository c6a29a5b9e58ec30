namespace Synapse.Testing;

/// <summary>Waiting in tests for something that happens elsewhere, with a deadline that fails the test by name.</summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Calls <paramref name="read"/> until <paramref name="done"/> holds for its result, and returns that result.</summary>
    /// <exception cref="TimeoutException"><paramref name="within"/> passed first.</exception>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"still {value} after {within}");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>Calls <paramref name="action"/> until it throws <typeparamref name="TException"/>, and returns the exception.</summary>
    /// <exception cref="TimeoutException"><paramref name="within"/> passed first.</exception>
    public static async Task<TException> UntilThrowsAsync<TException>(Func<Task> action, TimeSpan within)
        where TException : Exception
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow <= deadline)
        {
            try
            {
                await action();
            }
            catch (TException e)
            {
                return e;
            }

            await Task.Delay(Interval);
        }

        throw new TimeoutException($"no {typeof(TException).Name} within {within}");
    }
}
