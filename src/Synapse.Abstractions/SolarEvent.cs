namespace Synapse;

/// <summary>An event of the sun's daily course, for <see cref="SolarAttribute"/>.</summary>
public enum SolarEvent
{
    /// <summary>The sun's upper edge rises above the horizon (the sun 0.833° below it, allowing for refraction); <c>sunrise</c>.</summary>
    Sunrise,

    /// <summary>The sun's upper edge sets below the horizon; <c>sunset</c>.</summary>
    Sunset,

    /// <summary>The sun crosses the meridian, at its highest; <c>solar_noon</c> or <c>noon</c>.</summary>
    SolarNoon,

    /// <summary>The sun rises to 6° below the horizon; <c>civil_dawn</c> or <c>dawn</c>.</summary>
    CivilDawn,

    /// <summary>The sun sets to 6° below the horizon; <c>civil_dusk</c> or <c>dusk</c>.</summary>
    CivilDusk,

    /// <summary>The sun rises to 12° below the horizon; <c>nautical_dawn</c>.</summary>
    NauticalDawn,

    /// <summary>The sun sets to 12° below the horizon; <c>nautical_dusk</c>.</summary>
    NauticalDusk,

    /// <summary>The sun rises to 18° below the horizon; <c>astronomical_dawn</c>.</summary>
    AstronomicalDawn,

    /// <summary>The sun sets to 18° below the horizon; <c>astronomical_dusk</c>.</summary>
    AstronomicalDusk,
}
