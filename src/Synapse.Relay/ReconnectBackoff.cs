namespace Synapse.Relay;

/// <summary>How a client reconnects: exponential delays with jitter, and failover across an ordered list of endpoints.</summary>
public sealed record ReconnectBackoffOptions
{
    /// <summary>The delay before the first retry.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest delay between attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The factor by which the delay grows after each consecutive failure.</summary>
    public double Multiplier { get; init; } = 2.0;

    /// <summary>The fraction of each delay that is random (0 for none, 1 for full jitter).</summary>
    public double Jitter { get; init; } = 0.5;

    /// <summary>Attempts on one endpoint before moving on to the next.</summary>
    public int AttemptsPerEndpoint { get; init; } = 3;

    /// <summary>
    /// Attempts allowed since the last healthy connection before giving up; null retries forever. The budget is
    /// restored by a connection that lasted <see cref="HealthyAfter"/>.
    /// </summary>
    public int? MaxAttempts { get; init; }

    /// <summary>How long a connection must last to count as healthy and restore the budget.</summary>
    public TimeSpan HealthyAfter { get; init; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (InitialDelay < TimeSpan.Zero || MaxDelay < InitialDelay)
        {
            throw new ArgumentException("Backoff delays must satisfy 0 <= InitialDelay <= MaxDelay.");
        }

        if (Multiplier < 1 || Jitter is < 0 or > 1 || AttemptsPerEndpoint < 1 || MaxAttempts is < 1)
        {
            throw new ArgumentException("Backoff needs Multiplier >= 1, 0 <= Jitter <= 1, AttemptsPerEndpoint >= 1 and MaxAttempts >= 1 when set.");
        }
    }
}

/// <summary>One connection attempt: which endpoint, after which delay, and its number since the budget was last restored.</summary>
public readonly record struct BackoffStep(int EndpointIndex, TimeSpan Delay, int Attempt);

/// <summary>
/// The schedule of reconnection attempts. The first attempt goes to the first endpoint at once; failures back off
/// exponentially with jitter and move to the next endpoint after <see cref="ReconnectBackoffOptions.AttemptsPerEndpoint"/>;
/// a healthy connection restores the whole budget (a connection that drops at once does not).
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly int _endpointCount;
    private readonly ReconnectBackoffOptions _options;
    private readonly Random _random;
    private readonly TimeProvider _time;
    private bool _started;
    private int _endpoint;
    private int _attemptsHere;
    private int _failures;
    private int _spent;
    private long? _connectedAt;

    /// <summary>Creates a schedule over <paramref name="endpointCount"/> endpoints.</summary>
    public ReconnectBackoff(int endpointCount, ReconnectBackoffOptions options, Random? random = null, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(endpointCount, 1);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _endpointCount = endpointCount;
        _options = options;
        _random = random ?? Random.Shared;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The next attempt, or null when the budget is spent.</summary>
    public BackoffStep? Next()
    {
        if (_options.MaxAttempts is { } max && _spent >= max)
        {
            return null;
        }

        var delay = TimeSpan.Zero;
        if (_started)
        {
            if (_attemptsHere >= _options.AttemptsPerEndpoint)
            {
                _endpoint = (_endpoint + 1) % _endpointCount;
                _attemptsHere = 0;
            }

            delay = DelayAfter(_failures);
            _failures++;
        }

        _started = true;
        _attemptsHere++;
        _spent++;
        return new BackoffStep(_endpoint, delay, _spent);
    }

    /// <summary>Reports that the last attempt connected.</summary>
    public void Connected() => _connectedAt = _time.GetTimestamp();

    /// <summary>Reports that the connection ended; a healthy one restores the budget and retries its endpoint first.</summary>
    public void Disconnected()
    {
        if (_connectedAt is { } since && _time.GetElapsedTime(since) >= _options.HealthyAfter)
        {
            _spent = 0;
            _failures = 0;
            _attemptsHere = 0;
        }

        _connectedAt = null;
    }

    private TimeSpan DelayAfter(int failures)
    {
        var ceiling = Math.Min(_options.MaxDelay.TotalMilliseconds, _options.InitialDelay.TotalMilliseconds * Math.Pow(_options.Multiplier, Math.Min(failures, 64)));
        var jittered = ceiling * (1 - (_options.Jitter * _random.NextDouble()));
        return TimeSpan.FromMilliseconds(jittered);
    }
}
