namespace Synapse.Docs.Tests;

/// <summary>The repository this test runs in, and its Markdown documentation.</summary>
internal static class Repository
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The directory that holds Synapse.sln, found by walking up from the test's output directory.</summary>
    public static string Root => s_root.Value;

    /// <summary>Where the compiled C# snippets of the docs live, relative to <see cref="Root"/>.</summary>
    public const string SnippetsDirectory = "tests/Synapse.Docs.Tests/Snippets";

    /// <summary>README.md and every Markdown file under docs/, as paths relative to <see cref="Root"/> with '/'.</summary>
    public static IReadOnlyList<string> Docs()
    {
        var docs = new List<string> { "README.md" };
        docs.AddRange(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Select(Relative));
        docs.Sort(StringComparer.Ordinal);
        return docs;
    }

    /// <summary>A path relative to <see cref="Root"/>, with '/' separators.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    /// <summary>The absolute path of a path relative to <see cref="Root"/>.</summary>
    public static string Full(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Synapse.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Synapse.sln above {AppContext.BaseDirectory}: the docs tests run inside the repository.");
    }
}
