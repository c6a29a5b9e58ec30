using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Synapse.Flows;

/// <summary>
/// Runs a node's compiled flow over any transport: <see cref="HandleAsync"/> for each received message (hooks,
/// uploaded states, receivers in priority batches, states downloaded after each batch, transitions recorded), and
/// <see cref="RunAsync"/> for the senders (rounds of untimed senders fed by the receivers' events, and one schedule
/// per timed sender). A handler that throws is logged and the flow goes on; a slow timed sender delays only itself.
/// </summary>
/// <typeparam name="TAgent">The node type.</typeparam>
public sealed partial class FlowRunner<TAgent>
{
    private readonly TAgent _agent;
    private readonly FlowDefinition<TAgent> _flow;
    private readonly Func<object, CancellationToken, ValueTask> _send;
    private readonly FlowRunnerOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<PendingEvent> _bridge;
    private readonly FlowHook<TAgent>[] _receiveHooks;
    private readonly FlowHook<TAgent>[] _sendHooks;
    private readonly List<FlowReceiver<TAgent>[]> _batches;
    private readonly Dictionary<FlowSender<TAgent>, TimedState> _timed = [];

    /// <summary>Creates a runner.</summary>
    /// <param name="agent">The node instance whose methods run.</param>
    /// <param name="flow">Its compiled flow (<c>TAgent.Flow</c>).</param>
    /// <param name="send">Sends one outgoing payload over the transport.</param>
    /// <param name="options">Options.</param>
    /// <param name="loggerFactory">Where failures of handlers are logged (category <c>Synapse.Flows.FlowRunner</c>); nowhere when <c>null</c>.</param>
    public FlowRunner(TAgent agent, FlowDefinition<TAgent> flow, Func<object, CancellationToken, ValueTask> send, FlowRunnerOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        _agent = agent;
        _flow = flow;
        _send = send;
        _options = options ?? new FlowRunnerOptions();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Synapse.Flows.FlowRunner");
        _bridge = Channel.CreateBounded<PendingEvent>(new BoundedChannelOptions(_options.EventBridgeCapacity) { SingleReader = true });
        _receiveHooks = [.. flow.Hooks.Where(hook => hook.Direction == HookDirection.Receive).OrderBy(hook => hook.Priority, PriorityComparer.Instance)];
        _sendHooks = [.. flow.Hooks.Where(hook => hook.Direction == HookDirection.Send).OrderBy(hook => hook.Priority, PriorityComparer.Instance)];
        _batches = [.. flow.Receivers.GroupBy(receiver => receiver.Priority, PriorityComparer.Instance)
            .OrderBy(group => group.Key, PriorityComparer.Instance)
            .Select(group => group.ToArray())];
        foreach (var sender in flow.Senders.Where(sender => sender.Every is not null))
        {
            _timed[sender] = new TimedState();
        }
    }

    /// <summary>
    /// Handles one received message: runs the receive hooks (null drops it), uploads the states, fires the receivers
    /// it activates batch by batch, records each transition, downloads the reached states after each batch, and hands
    /// the events to the senders.
    /// </summary>
    /// <returns>The transitions made.</returns>
    public async ValueTask<IReadOnlyList<FlowTransition>> HandleAsync(object? payload, FlowMessageContext? message = null, CancellationToken cancellationToken = default)
    {
        foreach (var hook in _receiveHooks)
        {
            payload = await RunHookAsync(hook, payload, cancellationToken).ConfigureAwait(false);
            if (payload is null)
            {
                return [];
            }
        }

        var managed = _flow.UploadStates is null ? _options.States : null;
        var tape = managed?.Snapshot();
        if (_flow.UploadStates is { } upload)
        {
            try
            {
                tape = StateTape.From(await upload(_agent, payload, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                FlowLog.HandlerFailed(_logger, e, "upload states");
                return [];
            }
        }

        var transitions = new List<FlowTransition>();
        foreach (var batch in _batches)
        {
            var activations = Activations(batch, tape);
            if (activations.Count == 0)
            {
                continue;
            }

            var events = await Task.WhenAll(activations.Select(activation => RunReceiverAsync(activation, payload, cancellationToken))).ConfigureAwait(false);
            var reached = tape?.EmptyLike() ?? StateTape.From(null);
            for (var i = 0; i < activations.Count; i++)
            {
                if (events[i] is not { } flowEvent)
                {
                    continue;
                }

                var activation = activations[i];
                var after = Reached(activation.Receiver.Route, flowEvent);
                foreach (var node in after)
                {
                    reached.Add(activation.Key, node);
                }

                var transition = new FlowTransition(activation.Receiver.Name, activation.Receiver.Route, activation.Key,
                    activation.State is null ? [] : [activation.State], after, flowEvent, message);
                if (_options.Recorder is { } recorder)
                {
                    await recorder.RecordAsync(transition, cancellationToken).ConfigureAwait(false);
                }

                transitions.Add(transition);
                if (_flow.Senders.Count > 0)
                {
                    // Waits when the senders fall behind by EventBridgeCapacity events: the flow's backpressure.
                    await _bridge.Writer.WriteAsync(new PendingEvent(activation.Receiver.Route, flowEvent), cancellationToken).ConfigureAwait(false);
                }
            }

            managed?.Apply(reached);
            if (_flow.DownloadStates is { } download)
            {
                try
                {
                    await download(_agent, reached, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    FlowLog.HandlerFailed(_logger, e, "download states");
                }
            }
        }

        return transitions;
    }

    /// <summary>
    /// The states an event reaches: for an arrow, a move reaches the labels and targets, a stay the sources, a test the
    /// labels; for objects, anything but a test keeps the objects active.
    /// </summary>
    public static IReadOnlyList<StateNode> Reached(FlowRoute route, FlowEvent flowEvent) => (route.IsArrow, flowEvent.Action) switch
    {
        (true, FlowActions.Move) => [.. route.Labels, .. route.Targets],
        (true, FlowActions.Stay) => [.. route.Sources],
        (true, _) => [.. route.Labels],
        (false, FlowActions.Test) => [],
        _ => [.. route.Sources],
    };

    /// <summary>
    /// The receivers a message fires: an initial route fires once; another fires once per (key, state, gate) match
    /// of the uploaded (or kept) states; without states every receiver fires once.
    /// </summary>
    private static List<Activation> Activations(FlowReceiver<TAgent>[] batch, StateTape? tape)
    {
        var activations = new List<Activation>();
        foreach (var receiver in batch)
        {
            if (tape is null || receiver.Route.IsInitial)
            {
                activations.Add(new Activation(receiver, null, null));
                continue;
            }

            foreach (var key in tape.Keys)
            {
                foreach (var state in tape.StatesOf(key))
                {
                    foreach (var gate in receiver.Route.Sources)
                    {
                        if (gate.Accepts(state))
                        {
                            activations.Add(new Activation(receiver, key, state));
                        }
                    }
                }
            }
        }

        return activations;
    }

    private async Task<FlowEvent?> RunReceiverAsync(Activation activation, object? payload, CancellationToken cancellationToken)
    {
        var receiver = activation.Receiver;
        var activity = FlowTracing.StartReceiver(receiver.Name, receiver.Route, activation.Key, activation.State);
        try
        {
            var flowEvent = await receiver.Invoke(_agent, payload, cancellationToken).ConfigureAwait(false);
            if (activity is not null)
            {
                FlowTracing.Stop(activity, flowEvent, flowEvent is null ? null : Reached(receiver.Route, flowEvent), null);
            }

            return flowEvent;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            FlowTracing.Stop(activity, null, null, e);
            FlowLog.HandlerFailed(_logger, e, receiver.Name);
            return null;
        }
        catch (Exception e)
        {
            FlowTracing.Stop(activity, null, null, e);
            throw;
        }
    }

    private async ValueTask<object?> RunHookAsync(FlowHook<TAgent> hook, object? payload, CancellationToken cancellationToken)
    {
        try
        {
            return await hook.Invoke(_agent, payload, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            FlowLog.HandlerFailed(_logger, e, $"{hook.Direction} hook");
            return payload; // a failing hook leaves the message as it was
        }
    }

    private readonly record struct Activation(FlowReceiver<TAgent> Receiver, string? Key, StateNode? State);

    private readonly record struct PendingEvent(FlowRoute Route, FlowEvent Event);
}

/// <summary>Orders priority tuples element by element, a shorter prefix first (<c>()</c> before <c>(0)</c>).</summary>
internal sealed class PriorityComparer : IComparer<int[]>, IEqualityComparer<int[]>
{
    public static PriorityComparer Instance { get; } = new();

    public int Compare(int[]? x, int[]? y)
    {
        x ??= [];
        y ??= [];
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            if (x[i] != y[i])
            {
                return x[i].CompareTo(y[i]);
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    public bool Equals(int[]? x, int[]? y) => Compare(x, y) == 0;

    public int GetHashCode(int[] obj)
    {
        var hash = new HashCode();
        foreach (var value in obj)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }
}
