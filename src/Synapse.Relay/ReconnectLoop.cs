namespace Synapse.Relay;

/// <summary>
/// The reconnect loop both relay clients run: connect to a relay, back off with <see cref="ReconnectBackoff"/> and fail
/// over along the list when that fails, run the link until it drops, and start again, until stopped or the retry
/// budget is spent. The protocol (secure framed link, Summoner's lines) is the client's, in <see cref="ReconnectSteps{TLink}"/>.
/// </summary>
/// <typeparam name="TLink">One live connection to a relay.</typeparam>
internal sealed class ReconnectLoop<TLink> : IAsyncDisposable
    where TLink : class
{
    private readonly ReconnectLoopOptions _options;
    private readonly ReconnectSteps<TLink> _steps;
    private readonly ReconnectBackoff _backoff;
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _connected = NewSignal();
    private Task _running = Task.CompletedTask;
    private int _started;
    private int _disposed;

    /// <summary>Creates the loop; <see cref="Start"/> runs it.</summary>
    /// <exception cref="ArgumentException">The backoff options are nonsense, or there is no endpoint.</exception>
    public ReconnectLoop(ReconnectLoopOptions options, ReconnectSteps<TLink> steps)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(steps);
        _backoff = new ReconnectBackoff(options.Endpoints.Count, options.Backoff, timeProvider: options.TimeProvider);
        _options = options;
        _steps = steps;
    }

    /// <summary>Cancelled once the loop is told to stop: the links and the clients' own waits end with it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Starts the loop in the background; a second call does nothing.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _running = Task.Run(RunAsync, CancellationToken.None);
        }
    }

    /// <summary>
    /// Waits until a link is up (after <see cref="ReconnectSteps{TLink}.Connected"/>). Throws <see cref="InvalidOperationException"/>
    /// once the retry budget is spent, and is cancelled when the loop is disposed.
    /// </summary>
    public Task WaitConnectedAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _connected).Task.WaitAsync(cancellationToken);

    /// <summary>Stops: cancels a back-off wait, an attempt or the running link, and waits for the loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        Volatile.Read(ref _connected).TrySetCanceled();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            if (_backoff.Next() is not { } step)
            {
                ReconnectLog.GaveUp(_options.Logger, _options.Name);
                _steps.GaveUp?.Invoke();
                Volatile.Read(ref _connected).TrySetException(new InvalidOperationException($"{_options.Name}: every relay failed and the retry budget is spent; gave up reconnecting."));
                return;
            }

            try
            {
                await Task.Delay(step.Delay, _options.TimeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var link = await TryConnectAsync(step).ConfigureAwait(false);
            if (link is null)
            {
                continue;
            }

            _backoff.Connected();
            await RunLinkAsync(link, step.EndpointIndex, stopping).ConfigureAwait(false);
            Interlocked.Exchange(ref _connected, NewSignal());
            _steps.Disconnected?.Invoke(link);
            _backoff.Disconnected();
            if (!stopping.IsCancellationRequested)
            {
                ReconnectLog.Lost(_options.Logger, _options.Name, _options.Endpoints[step.EndpointIndex]);
            }
        }
    }

    private async Task<TLink?> TryConnectAsync(BackoffStep step)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            return await _steps.ConnectAsync(step.EndpointIndex, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            var relay = _options.Endpoints[step.EndpointIndex];
            if (_options.IsConnectFailure(e))
            {
                ReconnectLog.AttemptFailed(_options.Logger, _options.Name, step.Attempt, relay, e.Message);
            }
            else
            {
                ReconnectLog.AttemptCrashed(_options.Logger, e, _options.Name, step.Attempt, relay);
            }

            return null;
        }
        catch (Exception)
        {
            return null; // stopping: whatever the attempt threw is the stop's doing
        }
    }

    private async Task RunLinkAsync(TLink link, int endpointIndex, CancellationToken stopping)
    {
        try
        {
            _steps.Connected?.Invoke(link, endpointIndex);
            Volatile.Read(ref _connected).TrySetResult();
            await _steps.RunAsync(link, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            ReconnectLog.LinkCrashed(_options.Logger, e, _options.Name, _options.Endpoints[endpointIndex]);
        }
    }
}
