using Synapse.Fuzz.Tests.Engine;
using Synapse.Fuzz.Tests.Targets;

namespace Synapse.Fuzz.Tests;

/// <summary>
/// Runs every target for a short fixed budget with a fixed seed; a finding fails the test with the target, what
/// went wrong and the input as hex. Long runs: see docs/fuzzing.md.
/// </summary>
public sealed class FuzzTests
{
    /// <summary>Mutated inputs per target: a fixed count, so a run does the same work on a slow machine.</summary>
    private const int InputsPerTarget = 1500;

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_survives_its_budget(string name)
    {
        var target = AllTargets.Create().Single(t => t.Name == name);
        var result = new FuzzRunner(target, new FuzzOptions { Seed = 1, MaxInputs = InputsPerTarget, Duration = TimeSpan.FromSeconds(20) }).Run();

        Assert.True(result.Findings.Count == 0, string.Join("\n", result.Findings));
        Assert.True(result.Inputs > 0, $"{name} ran no inputs");
    }

    public static TheoryData<string> Targets() => AllTargets.Names();
}
