using System;
using System.Collections.Generic;

namespace Synapse.Generators.Schedules;

/// <summary>The solar events by their synapse-p2p names and aliases, and the <c>Synapse.SolarEvent</c> member each is.</summary>
internal static class SolarEventNames
{
    public const string Known = "sunrise, sunset, solar_noon (or noon), civil_dawn (or dawn), civil_dusk (or dusk), nautical_dawn, nautical_dusk, astronomical_dawn or astronomical_dusk";

    private static readonly Dictionary<string, string> Members = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sunrise"] = "Sunrise",
        ["sunset"] = "Sunset",
        ["solar_noon"] = "SolarNoon",
        ["noon"] = "SolarNoon",
        ["civil_dawn"] = "CivilDawn",
        ["dawn"] = "CivilDawn",
        ["civil_dusk"] = "CivilDusk",
        ["dusk"] = "CivilDusk",
        ["nautical_dawn"] = "NauticalDawn",
        ["nautical_dusk"] = "NauticalDusk",
        ["astronomical_dawn"] = "AstronomicalDawn",
        ["astronomical_dusk"] = "AstronomicalDusk",
    };

    /// <summary>The <c>SolarEvent</c> member <paramref name="name"/> stands for, or <c>null</c>.</summary>
    public static string? Member(string name) => Members.TryGetValue(name, out var member) ? member : null;
}
