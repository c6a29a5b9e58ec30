namespace Synapse;

/// <summary>
/// Runs a method of an agent periodically while its host runs: first when the host starts, then every
/// <see cref="IntervalSeconds"/> seconds. A run never overlaps the previous one; an exception is logged and the
/// schedule goes on. The method may take a <see cref="System.Threading.CancellationToken"/> that is cancelled when
/// the host stops. <c>[Background(60)]</c> is <c>[Every(Seconds = 60)]</c>; see also <see cref="EveryAttribute"/>,
/// <see cref="CronAttribute"/> and <see cref="SolarAttribute"/>. A method has at most one of these attributes.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class BackgroundAttribute : Attribute
{
    /// <summary>Creates a background job attribute.</summary>
    /// <param name="intervalSeconds">Seconds between the end of one run and the start of the next; must be positive.</param>
    public BackgroundAttribute(double intervalSeconds) => IntervalSeconds = intervalSeconds;

    /// <summary>Seconds between runs.</summary>
    public double IntervalSeconds { get; }
}
