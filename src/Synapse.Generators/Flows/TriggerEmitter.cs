using System.Linq;
using Synapse.Generators.Emit;
using Synapse.Generators.Helpers;

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

        w.CloseBlock();
        if (model.Namespace.Length > 0)
        {
            w.CloseBlock();
        }

        return w.ToSourceText();
    }
}
