using System.Text.RegularExpressions;
using Synapse.Identity;

namespace Synapse.Cli.Tests;

/// <summary><c>synapse keygen</c> and <c>synapse id</c>.</summary>
public sealed partial class KeyCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _passphraseVariable = $"SYNAPSE_CLI_TEST_{Guid.NewGuid():N}";

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_passphraseVariable, null);
        _dir.Dispose();
    }

    [Fact]
    public async Task Keygen_saves_an_owner_only_key_and_prints_its_id()
    {
        var path = _dir.File("agent.key");

        var result = await Cli.RunAsync("keygen", "--out", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        var id = result.Stdout.TrimEnd('\n');
        Assert.Matches(DidKey(), id);
        using var loaded = AgentIdentity.Load(path);
        Assert.Equal(id, loaded.Id.ToString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task Id_prints_the_id_of_a_key_file()
    {
        var path = _dir.File("agent.key");
        var generated = await Cli.RunAsync("keygen", "--out", path);

        var result = await Cli.RunAsync("id", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(generated.Stdout, result.Stdout);
    }

    [Fact]
    public async Task Keygen_refuses_to_overwrite_without_force()
    {
        var path = _dir.File("agent.key");
        var first = await Cli.RunAsync("keygen", "--out", path);

        var refused = await Cli.RunAsync("keygen", "--out", path);

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("", refused.Stdout);
        Assert.Equal($"synapse: '{path}' already exists; pass --force to replace it\n", refused.Stderr);
        Assert.Equal(first.Stdout, (await Cli.RunAsync("id", path)).Stdout);

        var forced = await Cli.RunAsync("keygen", "--out", path, "--force");

        Assert.Equal(0, forced.ExitCode);
        Assert.NotEqual(first.Stdout, forced.Stdout);
        Assert.Equal(forced.Stdout, (await Cli.RunAsync("id", path)).Stdout);
    }

    [Fact]
    public async Task A_passphrase_from_the_environment_encrypts_the_key()
    {
        var path = _dir.File("secret.key");
        Environment.SetEnvironmentVariable(_passphraseVariable, "correct horse");
        var generated = await Cli.RunAsync("keygen", "--out", path, "--passphrase-env", _passphraseVariable);
        Assert.Equal(0, generated.ExitCode);
        Assert.DoesNotContain("\"seed\"", File.ReadAllText(path), StringComparison.Ordinal);

        var withPassphrase = await Cli.RunAsync("id", path, "--passphrase-env", _passphraseVariable);
        Assert.Equal(0, withPassphrase.ExitCode);
        Assert.Equal(generated.Stdout, withPassphrase.Stdout);

        var without = await Cli.RunAsync("id", path);
        Assert.Equal(2, without.ExitCode);
        Assert.Single(without.ErrorLines);
        Assert.Contains("passphrase", without.Stderr, StringComparison.Ordinal);
        Assert.Contains("--passphrase-env", without.Stderr, StringComparison.Ordinal);

        Environment.SetEnvironmentVariable(_passphraseVariable, "wrong horse");
        var wrong = await Cli.RunAsync("id", path, "--passphrase-env", _passphraseVariable);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Equal("", wrong.Stdout);
        Assert.Contains("wrong", wrong.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unset_passphrase_variable_is_a_usage_error_and_writes_nothing()
    {
        var path = _dir.File("agent.key");

        var result = await Cli.RunAsync("keygen", "--out", path, "--passphrase-env", _passphraseVariable);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"synapse: environment variable '{_passphraseVariable}' (from --passphrase-env) is not set\n", result.Stderr);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Id_of_a_missing_file_names_it()
    {
        var path = _dir.File("missing.key");

        var result = await Cli.RunAsync("id", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"synapse: cannot read key file '{path}': file not found\n", result.Stderr);
    }

    [Fact]
    public async Task Id_of_a_file_that_is_not_a_key_says_it_is_corrupted()
    {
        var path = _dir.File("garbage.key");
        File.WriteAllText(path, "this is not a key");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var result = await Cli.RunAsync("id", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("synapse: cannot load the agent identity from ", line, StringComparison.Ordinal);
        Assert.Contains("garbage.key", line, StringComparison.Ordinal);
    }

    [GeneratedRegex("^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{44}$")]
    private static partial Regex DidKey();
}
