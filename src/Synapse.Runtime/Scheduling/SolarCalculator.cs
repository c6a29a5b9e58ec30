namespace Synapse.Scheduling;

/// <summary>
/// Times of the sun's events on a day at a place, with NOAA's solar calculator equations (Meeus' low-precision sun):
/// within a minute or so of published tables between the polar circles.
/// </summary>
internal static class SolarCalculator
{
    /// <summary>
    /// The instant of <paramref name="solarEvent"/> on the solar day <paramref name="day"/> at the place (the day whose
    /// noon is at <paramref name="longitude"/>'s noon of that date), or <c>null</c> when the sun does not reach the
    /// event's elevation that day (the midnight sun, the polar night).
    /// </summary>
    public static DateTimeOffset? TimeOf(SolarEvent solarEvent, DateOnly day, double latitude, double longitude)
    {
        var (elevation, rising) = solarEvent switch
        {
            SolarEvent.Sunrise => (-0.833, true),
            SolarEvent.Sunset => (-0.833, false),
            SolarEvent.CivilDawn => (-6.0, true),
            SolarEvent.CivilDusk => (-6.0, false),
            SolarEvent.NauticalDawn => (-12.0, true),
            SolarEvent.NauticalDusk => (-12.0, false),
            SolarEvent.AstronomicalDawn => (-18.0, true),
            SolarEvent.AstronomicalDusk => (-18.0, false),
            SolarEvent.SolarNoon => (double.NaN, false),
            _ => throw new ArgumentOutOfRangeException(nameof(solarEvent), solarEvent, "Unknown solar event."),
        };

        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

        // Minutes after UTC midnight, first estimated at the place's noon, then refined at the estimate itself.
        var minutes = 720 - (4 * longitude);
        for (var i = 0; i < 3; i++)
        {
            var sun = Sun(JulianCentury(midnight.AddMinutes(minutes)));
            var noon = 720 - (4 * longitude) - sun.EquationOfTime;
            if (double.IsNaN(elevation))
            {
                minutes = noon;
                continue;
            }

            var cosHourAngle = (Sin(elevation) - (Sin(latitude) * Sin(sun.Declination))) / (Cos(latitude) * Cos(sun.Declination));
            if (cosHourAngle is < -1 or > 1 || double.IsNaN(cosHourAngle))
            {
                if (i == 0)
                {
                    return null;
                }

                break; // the refinement crossed the edge of a polar day or night: the estimate stands
            }

            var hourAngle = Degrees(Math.Acos(cosHourAngle));
            minutes = rising ? noon - (4 * hourAngle) : noon + (4 * hourAngle);
        }

        return new DateTimeOffset(midnight.AddTicks((long)Math.Round(minutes * TimeSpan.TicksPerMinute)));
    }

    private static double JulianCentury(DateTime utc) => (utc.ToOADate() + 2415018.5 - 2451545.0) / 36525.0;

    private static (double Declination, double EquationOfTime) Sun(double t)
    {
        var meanLongitude = Normalize(280.46646 + (t * (36000.76983 + (t * 0.0003032))));
        var meanAnomaly = 357.52911 + (t * (35999.05029 - (0.0001537 * t)));
        var eccentricity = 0.016708634 - (t * (0.000042037 + (0.0000001267 * t)));
        var center = (Sin(meanAnomaly) * (1.914602 - (t * (0.004817 + (0.000014 * t)))))
            + (Sin(2 * meanAnomaly) * (0.019993 - (0.000101 * t)))
            + (Sin(3 * meanAnomaly) * 0.000289);
        var omega = 125.04 - (1934.136 * t);
        var apparentLongitude = meanLongitude + center - 0.00569 - (0.00478 * Sin(omega));
        var meanObliquity = 23 + ((26 + ((21.448 - (t * (46.815 + (t * (0.00059 - (t * 0.001813)))))) / 60)) / 60);
        var obliquity = meanObliquity + (0.00256 * Cos(omega));
        var declination = Degrees(Math.Asin(Sin(obliquity) * Sin(apparentLongitude)));

        var y = Math.Tan(Radians(obliquity / 2));
        y *= y;
        var equationOfTime = 4 * Degrees(
            (y * Sin(2 * meanLongitude))
            - (2 * eccentricity * Sin(meanAnomaly))
            + (4 * eccentricity * y * Sin(meanAnomaly) * Cos(2 * meanLongitude))
            - (0.5 * y * y * Sin(4 * meanLongitude))
            - (1.25 * eccentricity * eccentricity * Sin(2 * meanAnomaly)));
        return (declination, equationOfTime);
    }

    private static double Normalize(double degrees) => ((degrees % 360) + 360) % 360;

    private static double Sin(double degrees) => Math.Sin(Radians(degrees));

    private static double Cos(double degrees) => Math.Cos(Radians(degrees));

    private static double Radians(double degrees) => degrees * Math.PI / 180;

    private static double Degrees(double radians) => radians * 180 / Math.PI;
}
