namespace Synapse.Fuzz.Tests.Engine;

/// <summary>How long and how a target is fuzzed.</summary>
public sealed record FuzzOptions
{
    /// <summary>The seed of the mutation engine; the same seed gives the same inputs.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Stop after this long (default 3 s).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Stop after this many mutated inputs, whichever comes first (default no limit).</summary>
    public long MaxInputs { get; init; } = long.MaxValue;

    /// <summary>An input that runs longer than this is a hang (default 2 s: generous on a loaded machine).</summary>
    public TimeSpan HangBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Stop after this many distinct findings (default 10).</summary>
    public int MaxFindings { get; init; } = 10;

    /// <summary>Inputs that decode are kept as further mutation bases, up to this many (default 512).</summary>
    public int MaxCorpus { get; init; } = 512;

    /// <summary>Called about every 10 s with the inputs run so far (console progress); null for none.</summary>
    public Action<long>? Progress { get; init; }
}
