namespace Synapse;

/// <summary>
/// Runs a method of an agent as a background job at a fixed interval: first when the host starts, then again the
/// sum of <see cref="Days"/>, <see cref="Hours"/>, <see cref="Minutes"/> and <see cref="Seconds"/> after the previous
/// run ended, so a run never overlaps the previous one. An exception is logged and the schedule goes on. The method
/// may take a <see cref="System.Threading.CancellationToken"/> that is cancelled when the host stops.
/// </summary>
/// <example><c>[Every(Minutes = 5)]</c>, <c>[Every(Hours = 1, Minutes = 30)]</c>.</example>
/// <remarks>The interval must be positive; a zero, negative or missing one fails the build (SYN029).</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class EveryAttribute : Attribute
{
    /// <summary>Seconds added to the interval.</summary>
    public double Seconds { get; set; }

    /// <summary>Minutes added to the interval.</summary>
    public double Minutes { get; set; }

    /// <summary>Hours added to the interval.</summary>
    public double Hours { get; set; }

    /// <summary>Days (of 24 hours) added to the interval.</summary>
    public double Days { get; set; }
}
