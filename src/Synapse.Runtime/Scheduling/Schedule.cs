namespace Synapse.Scheduling;

/// <summary>
/// When a background job runs: the generator builds one from <see cref="BackgroundAttribute"/>,
/// <see cref="EveryAttribute"/>, <see cref="CronAttribute"/> or <see cref="SolarAttribute"/>. The host runs a job
/// first when it starts, then at <see cref="NextAfter"/> the time its previous run ended.
/// </summary>
public abstract class Schedule
{
    private protected Schedule()
    {
    }

    /// <summary>The first time strictly after <paramref name="after"/> the job runs, or <c>null</c> when it never runs again.</summary>
    /// <param name="after">The instant to search from (the end of the previous run).</param>
    public abstract DateTimeOffset? NextAfter(DateTimeOffset after);

    /// <summary>A schedule that runs <paramref name="interval"/> after the previous run ended.</summary>
    /// <param name="interval">A positive time span.</param>
    public static IntervalSchedule Every(TimeSpan interval) => new(interval);

    /// <summary>A schedule that runs when a cron expression matches; see <see cref="CronAttribute"/> for the syntax.</summary>
    /// <param name="expression">The five-field cron expression or macro.</param>
    /// <param name="timeZone">The IANA time zone id the expression's times are in; UTC when <c>null</c>.</param>
    /// <param name="dayOr">Whether a restricted day-of-month or day-of-week suffices (see <see cref="CronAttribute.DayOr"/>).</param>
    public static CronSchedule Cron(string expression, string? timeZone = null, bool dayOr = true) => new(expression, timeZone, dayOr);

    /// <summary>A schedule that runs at a solar event at a place.</summary>
    /// <param name="solarEvent">The event.</param>
    /// <param name="latitude">Degrees north, from -90 to 90.</param>
    /// <param name="longitude">Degrees east, from -180 to 180.</param>
    public static SolarSchedule Solar(SolarEvent solarEvent, double latitude, double longitude) => new(solarEvent, latitude, longitude);

    /// <summary>Throws when the schedule cannot be used on this machine (an unknown time zone), so a host fails at start rather than later.</summary>
    internal virtual void EnsureUsable()
    {
    }
}
