namespace Synapse.Tests;

/// <summary>
/// Locates the standard test vectors kept in the repository, <c>tests/vectors</c> (one folder per suite, each with
/// its origin and licence), from the repository root: the directory containing Synapse.sln above the test binaries.
/// </summary>
public static class VectorFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var vectors = System.IO.Path.Combine(RepositoryRoot.Directory, "tests", "vectors");
        return System.IO.Directory.Exists(vectors)
            ? vectors
            : throw new DirectoryNotFoundException($"The test vectors are missing: expected {vectors} in the repository.");
    });

    /// <summary>The <c>tests/vectors</c> directory.</summary>
    public static string Directory => Root.Value;

    /// <summary>A path under <c>tests/vectors</c>, e.g. <c>Path("msgpack", "msgpack-test-suite.json")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
