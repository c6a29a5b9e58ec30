using System.Text.RegularExpressions;

namespace Synapse.Docs.Tests;

/// <summary>A clone works with nothing beside it: no source, script, project or doc reaches for a folder outside.</summary>
public sealed partial class SelfContainedTests
{
    private static readonly string[] s_textFiles = ["*.cs", "*.csproj", "*.props", "*.targets", "*.md", "*.py", "*.sh", "*.json", "*.sln", "*.config"];

    [Fact]
    public void No_file_of_the_repository_refers_to_a_shared_folder_beside_it()
    {
        var offenders = new List<string>();
        foreach (var path in s_textFiles.SelectMany(pattern => Directory.EnumerateFiles(Repository.Root, pattern, SearchOption.AllDirectories)))
        {
            var relative = Repository.Relative(path);
            if (IsBuildOutput(relative))
            {
                continue;
            }

            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                if (OutsideReference().IsMatch(lines[i]))
                {
                    offenders.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "These lines refer to a shared folder beside the repository, which a clone does not have (vectors live in tests/vectors, protocol notes in docs/protocol):"
            + Environment.NewLine + string.Join(Environment.NewLine, offenders));
    }

    [Theory]
    [InlineData("see ../" + "shared/spec/summoner.md", true)]
    [InlineData("Path.Combine(root, \"..\", \"shared\", \"vectors\")", true)]
    [InlineData("[spec](../../" + "shared/spec/synapse-p2p.md)", true)]
    [InlineData("tests/vectors/msgpack", false)]
    [InlineData("src/Shared/ServerPath.cs", false)]
    public void Outside_references_are_recognised(string line, bool outside) => Assert.Equal(outside, OutsideReference().IsMatch(line));

    private static bool IsBuildOutput(string relative) =>
        relative.Split('/') is var parts && (parts.Contains("bin") || parts.Contains("obj") || parts[0] == ".git");

    // A relative path up to a folder named shared (either separator), or one built from the parts ".." and "shared".
    [GeneratedRegex(@"\.\.[/\\](\.\.[/\\])*shared[/\\]|""\.\.""\s*,\s*""shared""", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideReference();
}
