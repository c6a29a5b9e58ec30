namespace Synapse;

/// <summary>
/// Runs a method of an agent as a background job on a cron schedule: first when the host starts, then at the first
/// time the expression matches after the previous run ended, so a run never overlaps the previous one (times that
/// pass during a run are skipped). An exception is logged and the schedule goes on. The method may take a
/// <see cref="System.Threading.CancellationToken"/> that is cancelled when the host stops.
/// </summary>
/// <remarks>
/// The expression has five fields, <c>minute hour day-of-month month day-of-week</c>, each a <c>*</c>, a value, a
/// range (<c>1-5</c>, <c>MON-FRI</c>), a step (<c>*/15</c>, <c>0-30/10</c>) or a list of these (<c>0,30</c>); months
/// and days of the week may be named (<c>JAN</c>, <c>SUN</c>; Sunday is 0 or 7). <c>?</c> is <c>*</c>;
/// day-of-month also takes <c>L</c> (last day), <c>L-3</c>, <c>15W</c> (nearest weekday) and <c>LW</c>; day-of-week
/// takes <c>5L</c> (last Friday) and <c>MON#2</c> (second Monday). The macros <c>@yearly</c>, <c>@annually</c>,
/// <c>@monthly</c>, <c>@weekly</c>, <c>@daily</c>, <c>@midnight</c>, <c>@hourly</c>, <c>@every_minute</c> and
/// <c>@every_second</c> stand for whole expressions. A malformed expression fails the build (SYN026).
/// </remarks>
/// <example><c>[Cron("0 9 * * MON-FRI", TimeZone = "Europe/Paris")]</c>: at 9:00 on weekdays, Paris time.</example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CronAttribute : Attribute
{
    /// <summary>Creates a cron schedule attribute.</summary>
    /// <param name="expression">The cron expression (see the remarks).</param>
    public CronAttribute(string expression) => Expression = expression;

    /// <summary>The cron expression.</summary>
    public string Expression { get; }

    /// <summary>
    /// The IANA time zone id (as in <c>Europe/Paris</c>) the expression's times are in; UTC when <c>null</c>. Across a
    /// daylight saving change a time that does not exist runs at the end of the gap, and a time that happens twice
    /// runs once (interval fields such as <c>*/15</c> run in both).
    /// </summary>
    public string? TimeZone { get; set; }

    /// <summary>
    /// When both day-of-month and day-of-week are restricted (neither is <c>*</c> or <c>?</c>), whether a day matches
    /// when either matches (<c>true</c>, the default, as in Vixie cron and synapse-p2p) or only when both do.
    /// </summary>
    public bool DayOr { get; set; } = true;
}
