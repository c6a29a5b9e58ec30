using System;
using System.Collections.Generic;
using System.Linq;

namespace Synapse.Generators.Flows;

/// <summary>
/// Which <c>TRIGGERS</c> file a node uses: the only one, or, when the compilation has several, the one in the
/// nearest directory above the node's source file. The <c>Trigger</c> class is one per namespace, generated from the
/// file of the namespace's first node (ordinal by source path).
/// </summary>
internal static class TriggerResolution
{
    public static TriggersFile? Nearest(string nodePath, IReadOnlyList<TriggersFile> files)
    {
        if (files.Count <= 1)
        {
            return files.Count == 1 ? files[0] : null;
        }

        var normalized = nodePath.Replace('\\', '/');
        return files
            .Where(f => f.Directory.Length > 0 && normalized.StartsWith(f.Directory.Replace('\\', '/'), StringComparison.Ordinal))
            .OrderByDescending(f => f.Directory.Length)
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>The file chosen for each namespace.</summary>
    public static Dictionary<string, TriggersFile> ByNamespace(IEnumerable<(string Namespace, string FilePath)> nodes, IReadOnlyList<TriggersFile> files)
    {
        var result = new Dictionary<string, TriggersFile>(StringComparer.Ordinal);
        foreach (var (ns, path) in nodes.OrderBy(n => n.FilePath, StringComparer.Ordinal).ThenBy(n => n.Namespace, StringComparer.Ordinal))
        {
            if (!result.ContainsKey(ns) && Nearest(path, files) is { } file)
            {
                result.Add(ns, file);
            }
        }

        return result;
    }
}
