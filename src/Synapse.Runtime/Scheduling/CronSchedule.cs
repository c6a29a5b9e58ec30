using Cronos;

namespace Synapse.Scheduling;

/// <summary>Runs when a cron expression matches, in a time zone (<see cref="CronAttribute"/>); computed with Cronos.</summary>
public sealed class CronSchedule : Schedule
{
    // Cronos matches a day only when both day fields match; DayOr (Vixie cron's rule) is the earlier of two
    // expressions, one with each day field unrestricted.
    private readonly CronExpression[] _expressions;
    private TimeZoneInfo? _timeZone;

    internal CronSchedule(string expression, string? timeZone, bool dayOr)
    {
        ArgumentNullException.ThrowIfNull(expression);
        Expression = expression;
        TimeZoneId = timeZone;
        DayOr = dayOr;
        _expressions = Parse(expression, dayOr);
    }

    /// <summary>The cron expression.</summary>
    public string Expression { get; }

    /// <summary>The IANA time zone id, or <c>null</c> for UTC.</summary>
    public string? TimeZoneId { get; }

    /// <summary>Whether a day matches when either restricted day field matches.</summary>
    public bool DayOr { get; }

    /// <summary>The time zone of <see cref="TimeZoneId"/>, found when first used.</summary>
    /// <exception cref="TimeZoneNotFoundException">This machine does not know <see cref="TimeZoneId"/>.</exception>
    public TimeZoneInfo TimeZone => _timeZone ??= FindTimeZone();

    /// <inheritdoc />
    public override DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        DateTimeOffset? next = null;
        foreach (var expression in _expressions)
        {
            if (expression.GetNextOccurrence(after, TimeZone) is { } candidate && (next is null || candidate < next))
            {
                next = candidate;
            }
        }

        return next;
    }

    /// <inheritdoc />
    public override string ToString() => "cron \"" + Expression + "\"" + (TimeZoneId is null ? "" : " in " + TimeZoneId);

    internal override void EnsureUsable() => _ = TimeZone;

    private TimeZoneInfo FindTimeZone()
    {
        if (TimeZoneId is null)
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new TimeZoneNotFoundException($"Time zone '{TimeZoneId}' of cron schedule \"{Expression}\" is not known on this machine; use an IANA id such as 'Europe/Paris' (and install the time zone data where it is missing)", e);
        }
    }

    private static CronExpression[] Parse(string expression, bool dayOr)
    {
        var fields = expression.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (dayOr && fields.Length == 5 && Restricted(fields[2]) && Restricted(fields[4]))
        {
            return
            [
                ParseOne(string.Join(' ', fields[0], fields[1], fields[2], fields[3], "*"), expression),
                ParseOne(string.Join(' ', fields[0], fields[1], "*", fields[3], fields[4]), expression),
            ];
        }

        return [ParseOne(expression, expression)];
    }

    // As in Vixie cron, a day field that starts with '*' (or '?') does not restrict the day.
    private static bool Restricted(string field) => field[0] is not ('*' or '?');

    private static CronExpression ParseOne(string expression, string original)
    {
        try
        {
            return CronExpression.Parse(expression, CronFormat.Standard);
        }
        catch (Exception e) when (e is CronFormatException or MissingSeedException)
        {
            throw new ArgumentException($"Cron expression \"{original}\" is malformed: {e.Message}", nameof(expression), e);
        }
    }
}
