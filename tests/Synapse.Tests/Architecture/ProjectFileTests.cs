using System.Xml.Linq;

namespace Synapse.Tests.Architecture;

/// <summary>
/// Code is shared by reference, never by linking another project's source files: what several test projects and the
/// benchmarks share lives in tests/Synapse.Testing.
/// </summary>
public sealed class ProjectFileTests
{
    [Fact]
    public void No_project_compiles_source_files_of_another_folder()
    {
        var linked = Directory.EnumerateFiles(RepositoryRoot.Path(), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(p => XDocument.Load(p).Descendants("Compile")
                .Select(c => (string?)c.Attribute("Include"))
                .Where(include => include is not null && include.Contains("..", StringComparison.Ordinal))
                .Select(include => $"{Path.GetRelativePath(RepositoryRoot.Path(), p)}: {include}"))
            .ToList();

        Assert.True(linked.Count == 0, "Projects compile source files from outside their folder (reference a project instead, e.g. tests/Synapse.Testing): " + string.Join("; ", linked));
    }
}
