namespace Synapse.Scheduling;

/// <summary>Runs a fixed interval after the previous run ended (<see cref="EveryAttribute"/>, <see cref="BackgroundAttribute"/>).</summary>
public sealed class IntervalSchedule : Schedule
{
    internal IntervalSchedule(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval of a schedule must be positive.");
        }

        Interval = interval;
    }

    /// <summary>Time between the end of one run and the start of the next.</summary>
    public TimeSpan Interval { get; }

    /// <inheritdoc />
    public override DateTimeOffset? NextAfter(DateTimeOffset after) =>
        after <= DateTimeOffset.MaxValue - Interval ? after + Interval : null;

    /// <inheritdoc />
    public override string ToString() => "every " + Interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}
