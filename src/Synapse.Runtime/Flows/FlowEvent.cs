namespace Synapse.Flows;

/// <summary>
/// What a receiver decided: <see cref="Move"/> to the route's targets, <see cref="Stay"/> in the source states, or
/// <see cref="Test"/> (a probe that changes nothing), with the trigger that fired and optional data for senders.
/// </summary>
public sealed class FlowEvent
{
    private FlowEvent(FlowActions action, Signal trigger, object? data)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        Action = action;
        Trigger = trigger;
        Data = data;
    }

    /// <summary>Which kind of event (one flag of <see cref="FlowActions"/>).</summary>
    public FlowActions Action { get; }

    /// <summary>The trigger.</summary>
    public Signal Trigger { get; }

    /// <summary>Data handed to senders that use it.</summary>
    public object? Data { get; }

    /// <summary>Move to the route's targets (and labels).</summary>
    public static FlowEvent Move(Signal trigger, object? data = null) => new(FlowActions.Move, trigger, data);

    /// <summary>Stay in the route's source states.</summary>
    public static FlowEvent Stay(Signal trigger, object? data = null) => new(FlowActions.Stay, trigger, data);

    /// <summary>A test: the labels become active, no state changes.</summary>
    public static FlowEvent Test(Signal trigger, object? data = null) => new(FlowActions.Test, trigger, data);

    /// <inheritdoc />
    public override string ToString() => $"{Action}({Trigger})";
}
