using System.Linq;
using Synapse.Generators.Common;

namespace Synapse.Generators.Flows;

/// <summary>The <c>Trigger</c> class of one namespace, from the namespace's <c>TRIGGERS</c> file.</summary>
internal sealed record TriggerClassModel(string Namespace, string FilePath, EquatableArray<TriggerEntry> Entries)
{
    public string HintName => (Namespace.Length > 0 ? Namespace + "." : "") + "Trigger.g.cs";
}

/// <summary>Emits <c>public static partial class Trigger</c> with one <c>Signal</c> field per trigger.</summary>
internal static class TriggerEmitter
{
    public static string Emit(TriggerClassModel model)
    {
        var w = new SourceWriter();
        GeneratedCode.WriteHeader(w);
        if (model.Namespace.Length > 0)
        {
            w.OpenBlock("namespace " + model.Namespace);
        }

        w.WriteLine("/// <summary>");
        w.WriteLine("/// The triggers of the <c>TRIGGERS</c> file: a field per name unique in the file, and for a name");
        w.WriteLine("/// under several parents one per place, named by its path joined with '_' (<c>ok.match</c> is <c>ok_match</c>).");
        w.WriteLine("/// </summary>");
        w.WriteLine(GeneratedCode.Attribute);
        w.OpenBlock("public static partial class Trigger");
        foreach (var entry in model.Entries)
        {
            w.WriteLine("/// <summary><c>" + Literals.Xml(entry.QualifiedName) + "</c></summary>");
            w.WriteLine("public static readonly global::Synapse.Flows.Signal " + entry.Accessor + " = new(new int[] { " +
                string.Join(", ", entry.Path.Select(Literals.Invariant)) + " }, " + Literals.String(entry.Name) + ", " + Literals.String(entry.QualifiedName) + ");");
        }

        w.WriteLine();
        NameOf(w, model.Entries);
        w.CloseBlock();
        if (model.Namespace.Length > 0)
        {
            w.CloseBlock();
        }

        return w.ToSourceText();
    }

    /// <summary>
    /// <c>NameOf(params int[] path)</c>, Summoner's <c>Trigger.name_of(*path)</c>: a switch on the path's length, then
    /// on its indexes (a tuple pattern from two levels down), to the name of the line at that place.
    /// </summary>
    private static void NameOf(SourceWriter w, EquatableArray<TriggerEntry> entries)
    {
        w.WriteLine("/// <summary>");
        w.WriteLine("/// The name of the trigger at <paramref name=\"path\"/> (indexes from the root, as in <see cref=\"global::Synapse.Flows.Signal.Path\"/>),");
        w.WriteLine("/// or null when no line of the <c>TRIGGERS</c> file is there: <c>NameOf(0, 0)</c> is the name of the first line under the first root");
        w.WriteLine("/// (Summoner's <c>Trigger.name_of(*path)</c>). The name is <see cref=\"global::Synapse.Flows.Signal.Name\"/>, not the dotted path.");
        w.WriteLine("/// </summary>");
        w.WriteLine("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"path\"/> is null.</exception>");
        w.OpenBlock("public static string? NameOf(params int[] path)");
        w.OpenBlock("if (path is null)");
        w.WriteLine("throw new global::System.ArgumentNullException(nameof(path));");
        w.CloseBlock();
        w.WriteLine();
        var byLength = entries.GroupBy(e => e.Path.Count).OrderBy(g => g.Key).ToList();
        if (byLength.Count == 0)
        {
            w.WriteLine("return null;");
            w.CloseBlock();
            return;
        }

        w.OpenBlock("switch (path.Length)");
        foreach (var group in byLength)
        {
            var depth = group.Key;
            w.WriteLine("case " + Literals.Invariant(depth) + ":");
            w.Indent++;
            var indexes = Enumerable.Range(0, depth).Select(i => "path[" + Literals.Invariant(i) + "]");
            w.OpenBlock("return " + (depth == 1 ? "path[0]" : "(" + string.Join(", ", indexes) + ")") + " switch");
            foreach (var entry in group)
            {
                var pattern = string.Join(", ", entry.Path.Select(Literals.Invariant));
                w.WriteLine((depth == 1 ? pattern : "(" + pattern + ")") + " => " + Literals.String(entry.Name) + ",");
            }

            w.WriteLine("_ => null,");
            w.CloseBlock(";");
            w.Indent--;
        }

        w.WriteLine("default:");
        w.Indent++;
        w.WriteLine("return null;");
        w.Indent--;
        w.CloseBlock();
        w.CloseBlock();
    }
}
