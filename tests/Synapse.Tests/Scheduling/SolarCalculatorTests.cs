using System.Globalization;
using Synapse.Scheduling;

namespace Synapse.Tests.Scheduling;

/// <summary>
/// NOAA's equations against published sunrise tables (timeanddate.com's, which an independent implementation also
/// matches within a minute), for places north and south, east and west, and the polar day and night.
/// </summary>
public sealed class SolarCalculatorTests
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(2);

    public static TheoryData<string, double, double, string, SolarEvent, string> Published() => new()
    {
        { "Paris", 48.8566, 2.3522, "2024-06-21", SolarEvent.Sunrise, "2024-06-21T03:47Z" },
        { "Paris", 48.8566, 2.3522, "2024-06-21", SolarEvent.Sunset, "2024-06-21T19:58Z" },
        { "Paris", 48.8566, 2.3522, "2024-06-21", SolarEvent.SolarNoon, "2024-06-21T11:53Z" },
        { "London", 51.5074, -0.1278, "2024-12-21", SolarEvent.Sunrise, "2024-12-21T08:04Z" },
        { "London", 51.5074, -0.1278, "2024-12-21", SolarEvent.Sunset, "2024-12-21T15:54Z" },
        { "London", 51.5074, -0.1278, "2024-12-21", SolarEvent.CivilDawn, "2024-12-21T07:24Z" },
        { "London", 51.5074, -0.1278, "2024-12-21", SolarEvent.NauticalDawn, "2024-12-21T06:41Z" },
        { "London", 51.5074, -0.1278, "2024-12-21", SolarEvent.AstronomicalDawn, "2024-12-21T06:00Z" },
        { "New York", 40.7128, -74.0060, "2024-03-20", SolarEvent.Sunrise, "2024-03-20T11:00Z" },
        { "New York", 40.7128, -74.0060, "2024-03-20", SolarEvent.Sunset, "2024-03-20T23:10Z" },
        { "New York", 40.7128, -74.0060, "2024-03-20", SolarEvent.CivilDusk, "2024-03-20T23:37Z" },
        { "New York", 40.7128, -74.0060, "2024-03-20", SolarEvent.AstronomicalDusk, "2024-03-21T00:41Z" },
        { "Sydney", -33.8688, 151.2093, "2024-01-01", SolarEvent.Sunrise, "2023-12-31T18:48Z" },
        { "Sydney", -33.8688, 151.2093, "2024-01-01", SolarEvent.Sunset, "2024-01-01T09:10Z" },
        { "Quito", -0.1807, -78.4678, "2024-09-22", SolarEvent.Sunrise, "2024-09-22T11:04Z" },
        { "Tokyo", 35.6762, 139.6503, "2024-10-15", SolarEvent.Sunset, "2024-10-15T08:07Z" },
        { "Reykjavik", 64.1466, -21.9426, "2024-06-21", SolarEvent.Sunset, "2024-06-22T00:04Z" },
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void Matches_published_times(string place, double latitude, double longitude, string day, SolarEvent solarEvent, string expected)
    {
        var time = SolarCalculator.TimeOf(solarEvent, DateOnly.Parse(day, CultureInfo.InvariantCulture), latitude, longitude);

        Assert.NotNull(time);
        var error = (time.Value - DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture)).Duration();
        Assert.True(error <= Tolerance, $"{solarEvent} in {place} on {day}: {time:O}, published {expected}");
    }

    [Theory]
    [InlineData(69.6492, 18.9553, "2024-12-21", SolarEvent.Sunrise)] // Tromsø, polar night
    [InlineData(69.6492, 18.9553, "2024-12-21", SolarEvent.Sunset)]
    [InlineData(69.6492, 18.9553, "2024-06-21", SolarEvent.Sunset)] // the midnight sun
    [InlineData(64.1466, -21.9426, "2024-06-21", SolarEvent.CivilDusk)] // Reykjavik's white nights
    [InlineData(-77.8463, 166.6683, "2024-12-21", SolarEvent.Sunrise)] // McMurdo, the southern summer
    public void An_event_that_does_not_happen_that_day_is_null(double latitude, double longitude, string day, SolarEvent solarEvent) =>
        Assert.Null(SolarCalculator.TimeOf(solarEvent, DateOnly.Parse(day, CultureInfo.InvariantCulture), latitude, longitude));

    [Fact]
    public void Solar_noon_happens_even_in_the_polar_night()
    {
        var noon = SolarCalculator.TimeOf(SolarEvent.SolarNoon, new DateOnly(2024, 12, 21), 69.6492, 18.9553);

        Assert.NotNull(noon);
        Assert.True((noon.Value - DateTimeOffset.Parse("2024-12-21T10:43Z", CultureInfo.InvariantCulture)).Duration() <= Tolerance);
    }

    [Fact]
    public void A_schedule_skips_the_polar_night_to_the_first_sunrise()
    {
        var schedule = Schedule.Solar(SolarEvent.Sunrise, 69.6492, 18.9553);

        var next = schedule.NextAfter(new DateTimeOffset(2023, 12, 1, 0, 0, 0, TimeSpan.Zero));

        // Tromsø's sun returns in mid-January (10:28 UTC on the 16th by the tables; the first grazing sunrise a day or two before).
        Assert.NotNull(next);
        Assert.InRange(next.Value, new DateTimeOffset(2024, 1, 13, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 17, 0, 0, 0, TimeSpan.Zero));
        Assert.InRange(next.Value.TimeOfDay, TimeSpan.FromHours(10), TimeSpan.FromHours(11.5));
    }

    [Fact]
    public void A_schedule_skips_the_midnight_sun_to_the_first_sunset()
    {
        var next = Schedule.Solar(SolarEvent.Sunset, 69.6492, 18.9553).NextAfter(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.NotNull(next);
        Assert.InRange(next.Value, new DateTimeOffset(2024, 7, 20, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 7, 26, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Next_is_strictly_after_and_on_the_next_day_once_today_has_passed()
    {
        var schedule = Schedule.Solar(SolarEvent.Sunrise, 48.8566, 2.3522);
        var today = SolarCalculator.TimeOf(SolarEvent.Sunrise, new DateOnly(2024, 6, 21), 48.8566, 2.3522)!.Value;
        var tomorrow = SolarCalculator.TimeOf(SolarEvent.Sunrise, new DateOnly(2024, 6, 22), 48.8566, 2.3522)!.Value;

        Assert.Equal(today, schedule.NextAfter(today.AddHours(-5)));
        Assert.Equal(tomorrow, schedule.NextAfter(today));
        Assert.Equal(tomorrow, schedule.NextAfter(today.AddHours(12)));
    }

    [Fact]
    public void A_place_far_east_gets_its_sunrise_on_the_previous_utc_day()
    {
        // Sydney's sunrise of 1 January is at 18:48 UTC on 31 December: from noon UTC on the 31st, that is next.
        var next = Schedule.Solar(SolarEvent.Sunrise, -33.8688, 151.2093).NextAfter(new DateTimeOffset(2023, 12, 31, 12, 0, 0, TimeSpan.Zero));

        Assert.NotNull(next);
        Assert.True((next.Value - DateTimeOffset.Parse("2023-12-31T18:48Z", CultureInfo.InvariantCulture)).Duration() <= Tolerance, next.Value.ToString("O"));
    }

    [Theory]
    [InlineData(90.5, 0)]
    [InlineData(-91, 0)]
    [InlineData(0, 180.1)]
    [InlineData(double.NaN, 0)]
    public void Out_of_range_coordinates_are_refused(double latitude, double longitude) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Solar(SolarEvent.Sunrise, latitude, longitude));
}
