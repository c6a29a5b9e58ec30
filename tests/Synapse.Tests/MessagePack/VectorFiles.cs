namespace Synapse.Tests;

/// <summary>
/// Locates the shared test vectors that live beside the repository: <c>&lt;repo&gt;/../shared/vectors</c>,
/// where the repository root is the directory containing Synapse.sln above the test binaries.
/// </summary>
public static class VectorFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var vectors = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot.Directory, "..", "shared", "vectors"));
        return System.IO.Directory.Exists(vectors)
            ? vectors
            : throw new DirectoryNotFoundException($"The shared test vectors are missing: expected {vectors} beside the repository.");
    });

    /// <summary>The <c>shared/vectors</c> directory.</summary>
    public static string Directory => Root.Value;

    /// <summary>A path under <c>shared/vectors</c>, e.g. <c>Path("msgpack", "msgpack-test-suite.json")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
