using Synapse.Generators.Common;

namespace Synapse.Generators.Flows;

/// <summary>One line of a <c>TRIGGERS</c> file.</summary>
/// <param name="Name">The trigger's name.</param>
/// <param name="QualifiedName">The dotted names from the root (<c>ok.match</c>).</param>
/// <param name="Path">Indexes from the root (<c>[0, 0]</c>).</param>
/// <param name="Accessor">The generated field of <c>Trigger</c>: the name when it is unique in the file, else the qualified name joined with '_'.</param>
internal sealed record TriggerEntry(string Name, string QualifiedName, EquatableArray<int> Path, string Accessor);

/// <summary>
/// A format error in a <c>TRIGGERS</c> file: what is wrong, how to fix it (the object of "change …") and where
/// (absolute offset, line and column, 0-based).
/// </summary>
internal sealed record TriggersError(string Message, string Fix, int Start, int Length, int Line, int Column);

/// <summary>A parsed <c>TRIGGERS</c> file (plain data: safe for the incremental pipeline).</summary>
/// <param name="Path">The file's path.</param>
/// <param name="Directory">Its directory, with a trailing separator.</param>
/// <param name="Entries">The triggers in file order (empty when the file has errors).</param>
/// <param name="Errors">Format errors.</param>
internal sealed record TriggersFile(string Path, string Directory, EquatableArray<TriggerEntry> Entries, EquatableArray<TriggersError> Errors)
{
    /// <summary>Finds a trigger by qualified name (<c>ok.match</c>) or by a name that is unique in the file.</summary>
    public TriggerEntry? Find(string name, out bool ambiguous)
    {
        ambiguous = false;
        TriggerEntry? byName = null;
        foreach (var entry in Entries)
        {
            if (entry.QualifiedName == name)
            {
                return entry;
            }

            if (entry.Name == name)
            {
                ambiguous = byName is not null;
                byName = entry;
            }
        }

        return ambiguous ? null : byName;
    }
}
