using System.Globalization;
using Synapse.Scheduling;

namespace Synapse.Tests.Scheduling;

public sealed class CronScheduleTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void Weekdays_at_nine_in_a_time_zone()
    {
        var schedule = Schedule.Cron("0 9 * * MON-FRI", "Europe/Paris");

        // Friday 29 March 2024, 10:00 UTC (11:00 in Paris): next is Monday 09:00, after the clocks went forward (UTC+2).
        Assert.Equal(At("2024-04-01T09:00+02:00"), schedule.NextAfter(At("2024-03-29T10:00Z")));
        Assert.Equal(At("2024-04-02T09:00+02:00"), schedule.NextAfter(At("2024-04-01T09:00+02:00")));
    }

    [Fact]
    public void Utc_when_no_time_zone_is_given()
    {
        var schedule = Schedule.Cron("*/15 * * * *");

        Assert.Equal(TimeZoneInfo.Utc, schedule.TimeZone);
        Assert.Equal(At("2024-01-01T00:15Z"), schedule.NextAfter(At("2024-01-01T00:00Z")));
        Assert.Equal(At("2024-01-01T00:15Z"), schedule.NextAfter(At("2024-01-01T00:07:30Z")));
    }

    [Fact]
    public void A_time_in_the_spring_gap_runs_at_the_end_of_the_gap()
    {
        // Paris skips from 02:00 to 03:00 on 31 March 2024.
        var schedule = Schedule.Cron("30 2 * * *", "Europe/Paris");

        Assert.Equal(At("2024-03-31T03:00+02:00"), schedule.NextAfter(At("2024-03-30T02:30+01:00")));
        Assert.Equal(At("2024-04-01T02:30+02:00"), schedule.NextAfter(At("2024-03-31T03:00+02:00")));
    }

    [Fact]
    public void A_daily_time_that_happens_twice_in_autumn_runs_once()
    {
        // Paris goes back from 03:00 to 02:00 on 27 October 2024, so 02:30 happens at +02:00 and again at +01:00.
        var schedule = Schedule.Cron("30 2 * * *", "Europe/Paris");

        Assert.Equal(At("2024-10-27T02:30+02:00"), schedule.NextAfter(At("2024-10-26T12:00Z")));
        Assert.Equal(At("2024-10-28T02:30+01:00"), schedule.NextAfter(At("2024-10-27T02:30+02:00")));
    }

    [Fact]
    public void An_interval_expression_runs_in_both_repeated_hours()
    {
        var schedule = Schedule.Cron("*/30 2 * * *", "Europe/Paris");
        var times = new List<DateTimeOffset>();
        var at = At("2024-10-26T23:59Z");
        for (var i = 0; i < 4; i++)
        {
            at = schedule.NextAfter(at)!.Value;
            times.Add(at);
        }

        Assert.Equal([At("2024-10-27T02:00+02:00"), At("2024-10-27T02:30+02:00"), At("2024-10-27T02:00+01:00"), At("2024-10-27T02:30+01:00")], times);
    }

    [Fact]
    public void Day_of_month_or_day_of_week_by_default_as_in_vixie_cron()
    {
        // From Sunday 1 September 2024: the 13th or any Friday; Friday the 6th comes first.
        Assert.Equal(At("2024-09-06T00:00Z"), Schedule.Cron("0 0 13 * FRI").NextAfter(At("2024-09-01T00:00Z")));
        Assert.Equal(At("2024-09-13T00:00Z"), Schedule.Cron("0 0 13 * FRI").NextAfter(At("2024-09-06T00:00Z")));
        Assert.Equal(At("2024-09-20T00:00Z"), Schedule.Cron("0 0 13 * FRI").NextAfter(At("2024-09-13T00:00Z")));
    }

    [Fact]
    public void Both_day_fields_with_DayOr_false()
    {
        var fridayThe13th = Schedule.Cron("0 0 13 * FRI", dayOr: false);

        Assert.Equal(At("2024-09-13T00:00Z"), fridayThe13th.NextAfter(At("2024-09-01T00:00Z")));
        Assert.Equal(At("2024-12-13T00:00Z"), fridayThe13th.NextAfter(At("2024-09-13T00:00Z")));
    }

    [Theory]
    [InlineData("0 0 * * FRI", "2024-09-06T00:00Z")]
    [InlineData("0 0 */10 * FRI", "2024-10-11T00:00Z")] // a day field starting with '*' is not "restricted": both must match, as in Vixie cron
    [InlineData("@daily", "2024-09-02T00:00Z")]
    [InlineData("0 12 L * *", "2024-09-30T12:00Z")]
    [InlineData("0 12 * * MON#2", "2024-09-09T12:00Z")]
    [InlineData("0 12 15W * *", "2024-09-16T12:00Z")]
    public void Cronos_syntax(string expression, string expected) =>
        Assert.Equal(At(expected), Schedule.Cron(expression).NextAfter(At("2024-09-01T00:00Z")));

    [Fact]
    public void A_date_that_never_comes_has_no_next_time() =>
        Assert.Null(Schedule.Cron("0 0 30 2 *").NextAfter(At("2024-01-01T00:00Z")));

    [Theory]
    [InlineData("61 * * * *")]
    [InlineData("* * * *")]
    [InlineData("H * * * *")]
    public void A_malformed_expression_is_refused_naming_it(string expression)
    {
        var error = Assert.Throws<ArgumentException>(() => Schedule.Cron(expression));
        Assert.Contains(expression, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_time_zone_is_reported_when_first_used()
    {
        var schedule = Schedule.Cron("0 9 * * *", "Mars/Olympus_Mons");

        var error = Assert.Throws<TimeZoneNotFoundException>(() => schedule.NextAfter(At("2024-01-01T00:00Z")));
        Assert.Contains("Mars/Olympus_Mons", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Intervals_add_to_the_end_of_the_run()
    {
        var schedule = Schedule.Every(TimeSpan.FromMinutes(5));

        Assert.Equal(At("2024-01-01T00:05Z"), schedule.NextAfter(At("2024-01-01T00:00Z")));
        Assert.Null(schedule.NextAfter(DateTimeOffset.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Every(TimeSpan.Zero));
    }
}
