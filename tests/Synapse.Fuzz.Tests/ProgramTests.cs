namespace Synapse.Fuzz.Tests;

/// <summary>The long-run console mode docs/fuzzing.md shows, run briefly with the documented options.</summary>
public sealed class ProgramTests : IDisposable
{
    private readonly string _findings = Path.Combine(Path.GetTempPath(), "synapse-fuzz-findings-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_findings))
        {
            Directory.Delete(_findings, recursive: true);
        }
    }

    [Fact]
    public void A_documented_run_of_one_target_ends_clean()
    {
        Assert.Equal(0, Program.Main(["dns-packet", "--seconds", "0.5", "--seed", "7", "--hang-ms", "1000", "--findings", _findings]));
        Assert.False(Directory.Exists(_findings)); // nothing found, nothing written
    }

    [Fact]
    public void All_targets_run_in_one_command()
    {
        Assert.Equal(0, Program.Main(["all", "--seconds", "0.05", "--seed", "14", "--findings", _findings]));
    }

    [Theory]
    [InlineData("no-such-target")]
    [InlineData("dns-packet", "--minutes", "1")]
    public void Bad_arguments_are_usage_errors(params string[] args)
    {
        Assert.Equal(2, Program.Main(args));
    }
}
