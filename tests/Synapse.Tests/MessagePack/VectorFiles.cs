namespace Synapse.Tests;

/// <summary>
/// Locates the shared test vectors that live beside the repository: <c>&lt;repo&gt;/../shared/vectors</c>,
/// where the repository root is the directory containing Synapse.sln above the test binaries.
/// </summary>
public static class VectorFiles
{
    private static readonly Lazy<string> Root = new(FindVectorsRoot);

    /// <summary>The <c>shared/vectors</c> directory.</summary>
    public static string Directory => Root.Value;

    /// <summary>A path under <c>shared/vectors</c>, e.g. <c>Path("msgpack", "msgpack-test-suite.json")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    private static string FindVectorsRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Synapse.sln")))
            {
                string vectors = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "vectors"));
                if (System.IO.Directory.Exists(vectors))
                {
                    return vectors;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"Could not find shared/vectors beside a directory containing Synapse.sln above {AppContext.BaseDirectory}.");
    }
}
