using System.Collections.Concurrent;

namespace Synapse.Flows;

public sealed partial class FlowRunner<TAgent>
{
    /// <summary>
    /// Runs the senders until cancelled: rounds of untimed senders (a reactive one runs when a waiting event on a route
    /// its route accepts carries one of its triggers or actions; a plain one runs every round, at most every
    /// <see cref="FlowRunnerOptions.RoundInterval"/> when nothing happens), and one schedule per timed sender.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var loops = new List<Task> { RoundLoopAsync(cancellationToken) };
        loops.AddRange(_timed.Select(pair => TimedLoopAsync(pair.Key, pair.Value, cancellationToken)));
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Whether a reactive sender answers an event: its triggers and its actions, each when given.</summary>
    public static bool RespondsTo(FlowSender<TAgent> sender, FlowEvent flowEvent) =>
        (sender.OnTriggers.Count == 0 || sender.OnTriggers.Contains(flowEvent.Trigger))
        && (sender.OnActions == FlowActions.None || (sender.OnActions & flowEvent.Action) != 0);

    private async Task RoundLoopAsync(CancellationToken cancellationToken)
    {
        var untimed = _flow.Senders.Where(sender => sender.Every is null).ToArray();
        var hasPlain = untimed.Any(sender => !sender.IsReactive);
        var pending = new List<PendingEvent>();
        while (true)
        {
            await WaitForEventsAsync(hasPlain, cancellationToken).ConfigureAwait(false);
            pending.Clear();
            while (_bridge.Reader.TryRead(out var waiting))
            {
                pending.Add(waiting);
            }

            ArmTimedSenders(pending);
            var invocations = new List<Task>();
            foreach (var sender in untimed)
            {
                if (!sender.IsReactive)
                {
                    invocations.Add(InvokeAsync(sender, null, cancellationToken));
                    continue;
                }

                var matching = pending.Where(waiting => sender.Route.Accepts(waiting.Route) && RespondsTo(sender, waiting.Event)).ToList();
                if (sender.UseData)
                {
                    invocations.AddRange(matching.Select(waiting => InvokeAsync(sender, waiting.Event.Data, cancellationToken)));
                }
                else if (matching.Count > 0)
                {
                    invocations.Add(InvokeAsync(sender, null, cancellationToken));
                }
            }

            await Task.WhenAll(invocations).ConfigureAwait(false); // a round waits for its senders
        }
    }

    private async Task WaitForEventsAsync(bool hasPlain, CancellationToken cancellationToken)
    {
        if (!hasPlain)
        {
            if (!await _bridge.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new OperationCanceledException(cancellationToken);
            }

            return;
        }

        using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        round.CancelAfter(_options.RoundInterval);
        try
        {
            await _bridge.Reader.WaitToReadAsync(round.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // the round interval passed with no event: the plain senders run anyway
        }
    }

    private void ArmTimedSenders(List<PendingEvent> pending)
    {
        foreach (var (sender, state) in _timed)
        {
            if (!sender.IsReactive)
            {
                continue;
            }

            foreach (var waiting in pending)
            {
                if (sender.Route.Accepts(waiting.Route) && RespondsTo(sender, waiting.Event))
                {
                    if (sender.UseData)
                    {
                        state.Buffered.Enqueue(waiting.Event.Data);
                    }

                    state.Arm();
                }
            }
        }
    }

    /// <summary>
    /// A timed sender's schedule: at once, then every period after the previous run started (never a burst to catch
    /// up, and at least a millisecond's pause, so a sender slower than its period delays only itself).
    /// </summary>
    private async Task TimedLoopAsync(FlowSender<TAgent> sender, TimedState state, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var period = sender.Every!.Value;
        while (true)
        {
            if (sender.IsReactive && !state.Armed)
            {
                await state.ArmedSignal.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            var started = time.GetTimestamp();
            if (ShouldRun(sender))
            {
                if (sender.UseData)
                {
                    while (state.Buffered.TryDequeue(out var data))
                    {
                        await InvokeAsync(sender, data, cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    await InvokeAsync(sender, null, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (sender.IsReactive)
            {
                state.Disarm(); // a new event is needed to start again
            }

            var wait = period - time.GetElapsedTime(started);
            await Task.Delay(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool ShouldRun(FlowSender<TAgent> sender)
    {
        try
        {
            return sender.RunWhile?.Invoke(_agent) ?? true;
        }
        catch (Exception e)
        {
            FlowLog.HandlerFailed(_logger, e, $"{sender.Name} (run while)");
            return false;
        }
    }

    private async Task InvokeAsync(FlowSender<TAgent> sender, object? data, CancellationToken cancellationToken)
    {
        object? result;
        try
        {
            result = await sender.Invoke(_agent, data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            FlowLog.HandlerFailed(_logger, e, sender.Name);
            return;
        }

        var outputs = sender.Multi && result is System.Collections.IEnumerable items and not string
            ? items.Cast<object?>()
            : [result];
        foreach (var output in outputs)
        {
            var payload = output;
            foreach (var hook in _sendHooks)
            {
                if (payload is null)
                {
                    break;
                }

                payload = await RunHookAsync(hook, payload, cancellationToken).ConfigureAwait(false);
            }

            if (payload is null)
            {
                continue;
            }

            try
            {
                await _send(payload, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                FlowLog.SendFailed(_logger, e, sender.Name);
            }
        }
    }

    private sealed class TimedState
    {
        private int _armed;

        public SemaphoreSlim ArmedSignal { get; } = new(0);

        public ConcurrentQueue<object?> Buffered { get; } = new();

        public bool Armed => Volatile.Read(ref _armed) != 0;

        public void Arm()
        {
            if (Interlocked.Exchange(ref _armed, 1) == 0)
            {
                ArmedSignal.Release();
            }
        }

        public void Disarm() => Interlocked.Exchange(ref _armed, 0);
    }
}
