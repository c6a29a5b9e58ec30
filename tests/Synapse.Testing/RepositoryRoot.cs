namespace Synapse.Testing;

/// <summary>Finds the repository root (the directory holding Synapse.sln) above the test binaries.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Synapse.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Synapse.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository root.</summary>
    public static string Directory => Root.Value;

    /// <summary>A path below the repository root.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    /// <summary>The built <c>.dll</c> of a project of the repository, in the configuration the tests were built in.</summary>
    public static string BuiltAssembly(string projectDirectory, string assembly)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var path = Path([.. projectDirectory.Split('/'), "bin", configuration, "net10.0", assembly + ".dll"]);
        Assert.True(File.Exists(path), $"{path} is missing: build Synapse.sln");
        return path;
    }
}
