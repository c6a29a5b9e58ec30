namespace Synapse.Scheduling;

/// <summary>Runs at a solar event at a place (<see cref="SolarAttribute"/>); days the event does not happen are skipped.</summary>
public sealed class SolarSchedule : Schedule
{
    // The longest a solar event can stay away (the polar night at the pole) is under a year.
    private const int DaysSearched = 400;

    // An event of the last days of the calendar can fall after DateTimeOffset.MaxValue.
    private static readonly DateOnly LastDay = DateOnly.MaxValue.AddDays(-2);

    internal SolarSchedule(SolarEvent solarEvent, double latitude, double longitude)
    {
        if (!Enum.IsDefined(solarEvent))
        {
            throw new ArgumentOutOfRangeException(nameof(solarEvent), solarEvent, "Unknown solar event.");
        }

        if (!(latitude is >= -90 and <= 90))
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "A latitude is between -90 and 90 degrees.");
        }

        if (!(longitude is >= -180 and <= 180))
        {
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "A longitude is between -180 and 180 degrees.");
        }

        Event = solarEvent;
        Latitude = latitude;
        Longitude = longitude;
    }

    /// <summary>The solar event.</summary>
    public SolarEvent Event { get; }

    /// <summary>Degrees north.</summary>
    public double Latitude { get; }

    /// <summary>Degrees east.</summary>
    public double Longitude { get; }

    /// <inheritdoc />
    public override DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        // The event of a UTC day can fall on the day before or after it (far east or west), so start a day early.
        var day = DateOnly.FromDateTime(after.UtcDateTime);
        day = day > DateOnly.MinValue ? day.AddDays(-1) : day;
        for (var i = 0; i < DaysSearched && day < LastDay; i++, day = day.AddDays(1))
        {
            if (SolarCalculator.TimeOf(Event, day, Latitude, Longitude) is { } time && time > after)
            {
                return time;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Event} at {Latitude}, {Longitude}");
}
