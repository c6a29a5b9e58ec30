namespace Synapse.Fuzz.Tests.Engine;

/// <summary>What a run of one target did.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Inputs">Mutated inputs run (seeds not counted).</param>
/// <param name="Decoded">How many of them decoded without an error.</param>
/// <param name="Elapsed">The run's wall time.</param>
/// <param name="MaxAllocationRatio">The largest allocation over the target's bound seen (1 = at the bound).</param>
/// <param name="Findings">Distinct findings, at most <see cref="FuzzOptions.MaxFindings"/>.</param>
public sealed record FuzzResult(string Target, long Inputs, long Decoded, TimeSpan Elapsed, double MaxAllocationRatio, IReadOnlyList<Finding> Findings)
{
    /// <summary>Inputs per second.</summary>
    public double Rate => Inputs / Math.Max(Elapsed.TotalSeconds, 0.001);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Target}: {Inputs} inputs ({Rate:F0}/s), {Decoded} decoded, peak allocation {MaxAllocationRatio:P0} of bound, {Findings.Count} findings";
}
