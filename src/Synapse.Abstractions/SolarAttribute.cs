namespace Synapse;

/// <summary>
/// Runs a method of an agent as a background job at a solar event (sunrise, sunset, solar noon, dawn or dusk) at a
/// place: first when the host starts, then at the first such event after the previous run ended, so a run never
/// overlaps the previous one. On a day the event does not happen (the midnight sun, the polar night) the job waits for
/// the next day it does. An exception is logged and the schedule goes on. The method may take a
/// <see cref="System.Threading.CancellationToken"/> that is cancelled when the host stops.
/// </summary>
/// <remarks>
/// Times are computed with NOAA's sunrise equations, within a minute or two of published tables between the polar
/// circles. A solar event is an instant, so no time zone is needed. An unknown event name (SYN027) or a latitude
/// outside [-90, 90] or longitude outside [-180, 180] (SYN028) fails the build.
/// </remarks>
/// <example><c>[Solar(SolarEvent.Sunrise, 48.8566, 2.3522)]</c>: at sunrise in Paris.</example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SolarAttribute : Attribute
{
    /// <summary>Creates a solar schedule attribute.</summary>
    /// <param name="event">The solar event.</param>
    /// <param name="latitude">Degrees north of the equator (south is negative), from -90 to 90.</param>
    /// <param name="longitude">Degrees east of Greenwich (west is negative), from -180 to 180.</param>
    public SolarAttribute(SolarEvent @event, double latitude, double longitude)
        : this(NameOf(@event), latitude, longitude)
    {
    }

    /// <summary>Creates a solar schedule attribute from the event's synapse-p2p name.</summary>
    /// <param name="event">
    /// <c>sunrise</c>, <c>sunset</c>, <c>solar_noon</c> (or <c>noon</c>), <c>civil_dawn</c> (or <c>dawn</c>),
    /// <c>civil_dusk</c> (or <c>dusk</c>), <c>nautical_dawn</c>, <c>nautical_dusk</c>, <c>astronomical_dawn</c> or
    /// <c>astronomical_dusk</c>, in any case.
    /// </param>
    /// <param name="latitude">Degrees north of the equator (south is negative), from -90 to 90.</param>
    /// <param name="longitude">Degrees east of Greenwich (west is negative), from -180 to 180.</param>
    public SolarAttribute(string @event, double latitude, double longitude)
    {
        Event = @event;
        Latitude = latitude;
        Longitude = longitude;
    }

    /// <summary>The event's name, as synapse-p2p spells it (<c>sunrise</c>, <c>civil_dawn</c>, ...).</summary>
    public string Event { get; }

    /// <summary>Degrees north of the equator.</summary>
    public double Latitude { get; }

    /// <summary>Degrees east of Greenwich.</summary>
    public double Longitude { get; }

    private static string NameOf(SolarEvent solarEvent) => solarEvent switch
    {
        SolarEvent.Sunrise => "sunrise",
        SolarEvent.Sunset => "sunset",
        SolarEvent.SolarNoon => "solar_noon",
        SolarEvent.CivilDawn => "civil_dawn",
        SolarEvent.CivilDusk => "civil_dusk",
        SolarEvent.NauticalDawn => "nautical_dawn",
        SolarEvent.NauticalDusk => "nautical_dusk",
        SolarEvent.AstronomicalDawn => "astronomical_dawn",
        SolarEvent.AstronomicalDusk => "astronomical_dusk",
        _ => solarEvent.ToString(),
    };
}
