using System.Runtime.CompilerServices;
using Synapse.Generators.Common;

namespace Synapse.Generators.Tests;

/// <summary>
/// Compares generated files with the expected files under <c>Snapshots/&lt;TestClass&gt;/&lt;TestMethod&gt;/&lt;hint&gt;</c>.
/// Set the environment variable <c>UPDATE_SNAPSHOTS=1</c> to rewrite them (never in CI).
/// </summary>
internal static class Snapshot
{
    public const string VersionPlaceholder = "<GENERATOR_VERSION>";

    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1";

    /// <summary>
    /// The snapshot folder, found from the test binaries rather than [CallerFilePath]: CI builds map source paths to
    /// <c>/_/</c> (ContinuousIntegrationBuild), which no longer exists on disk.
    /// </summary>
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Synapse.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "Synapse.Generators.Tests", "Snapshots");
            }
        }

        throw new DirectoryNotFoundException($"No Synapse.sln above {AppContext.BaseDirectory}.");
    });

    public static void Verify(GeneratorRun run, string testClass, [CallerMemberName] string testMethod = "")
    {
        var directory = Path.Combine(Root.Value, testClass, testMethod);
        var actual = run.Result.GeneratedSources.ToDictionary(s => s.HintName, s => Normalize(s.SourceText.ToString()), StringComparer.Ordinal);
        if (Updating)
        {
            if (Directory.Exists(directory))
            {
                foreach (var stale in Directory.GetFiles(directory))
                {
                    File.Delete(stale);
                }
            }

            Directory.CreateDirectory(directory);
            foreach (var (hint, text) in actual)
            {
                File.WriteAllText(Path.Combine(directory, hint), text);
            }

            return;
        }

        Assert.True(Directory.Exists(directory), $"No snapshots in {directory}; run the tests with UPDATE_SNAPSHOTS=1 to create them.");
        var expected = Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), f => Normalize(File.ReadAllText(f)), StringComparer.Ordinal);
        var missing = actual.Keys.Except(expected.Keys, StringComparer.Ordinal).ToList();
        var extra = expected.Keys.Except(actual.Keys, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "Generated files without a snapshot: " + string.Join(", ", missing));
        Assert.True(extra.Count == 0, "Snapshots that were not generated: " + string.Join(", ", extra));
        foreach (var (hint, text) in actual)
        {
            Assert.True(expected[hint] == text, $"{hint} differs from its snapshot in {directory}:\n{FirstDifference(expected[hint], text)}");
        }
    }

    public static string Normalize(string text) =>
        text.Replace("\r\n", "\n").Replace("\"" + GeneratedCode.Version + "\"", "\"" + VersionPlaceholder + "\"");

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
            var a = i < actualLines.Length ? actualLines[i] : "<end of file>";
            if (e != a)
            {
                return $"line {i + 1}:\n  expected: {e}\n  actual:   {a}";
            }
        }

        return "(no line difference)";
    }
}
