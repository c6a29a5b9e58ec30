using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Synapse.Generators.Common;

namespace Synapse.Generators.Flows;

/// <summary>
/// Summoner's <c>TRIGGERS</c> format: one name per line, indentation (tabs expanded to 8 columns) gives the
/// hierarchy, <c>#</c> starts a comment, blank lines are skipped. Names match <c>^[A-Za-z_][A-Za-z0-9_]*$</c>; C#
/// keywords, <c>Trigger</c>, <c>NameOf</c>, the members of <c>object</c> and names starting with '_' are reserved; a dedent to a level never opened and a
/// duplicate name under one parent are errors.
/// </summary>
internal static class TriggersParser
{
    /// <summary>Names a field of the generated static class cannot take (its own name, its <c>NameOf</c> method and the members of <c>object</c>).</summary>
    private static readonly HashSet<string> ObjectMembers = new()
    {
        "Trigger", "NameOf", "Equals", "ReferenceEquals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "Finalize",
    };

    public static TriggersFile Parse(string path, string text)
    {
        var errors = new List<TriggersError>();
        var entries = new List<(string Name, string Qualified, int[] Path, int Line, int Start, int Length)>();
        var stack = new Stack<Level>();
        stack.Push(new Level(-1, "", new int[0], new HashSet<string>()));
        var lineStart = 0;
        var lineNumber = 0;
        while (lineStart <= text.Length)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            var raw = text.Substring(lineStart, lineEnd - lineStart).TrimEnd('\r');
            ParseLine(raw, lineStart, lineNumber, stack, entries, errors);
            lineStart = lineEnd + 1;
            lineNumber++;
        }

        if (errors.Count > 0)
        {
            return new TriggersFile(path, DirectoryOf(path), default, errors.ToEquatableArray());
        }

        var counts = entries.GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.Count());
        var accessors = new Dictionary<string, string>();
        var result = new List<TriggerEntry>();
        foreach (var e in entries)
        {
            var accessor = counts[e.Name] == 1 ? e.Name : e.Qualified.Replace('.', '_');
            if (accessors.TryGetValue(accessor, out var other))
            {
                errors.Add(new TriggersError("'" + e.Qualified + "' and '" + other + "' would both be Trigger." + accessor, "the name of one of them", e.Start, e.Length, e.Line, e.Start - LineStartOf(text, e.Start)));
                continue;
            }

            accessors.Add(accessor, e.Qualified);
            result.Add(new TriggerEntry(e.Name, e.Qualified, e.Path.ToEquatableArray(), accessor));
        }

        return errors.Count > 0
            ? new TriggersFile(path, DirectoryOf(path), default, errors.ToEquatableArray())
            : new TriggersFile(path, DirectoryOf(path), result.ToEquatableArray(), default);
    }

    /// <summary>The directory of <paramref name="path"/> with a trailing separator ("" when there is none).</summary>
    public static string DirectoryOf(string path)
    {
        var slash = path.LastIndexOfAny(new[] { '/', '\\' });
        return slash < 0 ? "" : path.Substring(0, slash + 1);
    }

    private static void ParseLine(
        string raw,
        int lineStart,
        int lineNumber,
        Stack<Level> stack,
        List<(string Name, string Qualified, int[] Path, int Line, int Start, int Length)> entries,
        List<TriggersError> errors)
    {
        var hash = raw.IndexOf('#');
        var content = hash < 0 ? raw : raw.Substring(0, hash);
        var first = 0;
        var column = 0;
        while (first < content.Length && (content[first] == ' ' || content[first] == '\t'))
        {
            column = content[first] == '\t' ? (column / 8 + 1) * 8 : column + 1;
            first++;
        }

        var name = content.Substring(first).TrimEnd();
        if (name.Length == 0)
        {
            return;
        }

        var start = lineStart + first;
        TriggersError Error(string message, string fix, int at = 0, int length = -1) =>
            new(message, fix, start + at, length < 0 ? name.Length - at : length, lineNumber, first + at);

        var popped = false;
        while (stack.Peek().Indent > column)
        {
            stack.Pop();
            popped = true;
        }

        if (stack.Peek().Indent == column)
        {
            stack.Pop();
        }
        else if (popped)
        {
            errors.Add(Error("Inconsistent indent: no enclosing line is indented to column " + column, "the indent to that of a line above it (a sibling), or deeper than the line before it (a child)"));
            return;
        }

        var parent = stack.Peek();
        var bad = FirstInvalid(name);
        if (bad >= 0)
        {
            errors.Add(Error("'" + name + "' is not a valid trigger name (letters, digits and '_', not starting with a digit)", "the name to one of letters, digits and '_' that starts with a letter", bad, 1));
            return;
        }

        if (name[0] == '_' || ObjectMembers.Contains(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
        {
            errors.Add(Error("'" + name + "' is reserved (C# keywords, 'Trigger', 'NameOf', members of object and names starting with '_' cannot be triggers)", "the name to one that is not reserved"));
            return;
        }

        if (!parent.Children.Add(name))
        {
            errors.Add(Error("Duplicate trigger '" + name + "' under " + (parent.Qualified.Length == 0 ? "the root" : "'" + parent.Qualified + "'"), "the name of one of them, or remove this line"));
            return;
        }

        var path = parent.Path.Concat(new[] { parent.Children.Count - 1 }).ToArray();
        var qualified = parent.Qualified.Length == 0 ? name : parent.Qualified + "." + name;
        entries.Add((name, qualified, path, lineNumber, start, name.Length));
        stack.Push(new Level(column, qualified, path, new HashSet<string>()));
    }

    private static int FirstInvalid(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (!ok)
            {
                return i;
            }
        }

        return -1;
    }

    private static int LineStartOf(string text, int position) => text.LastIndexOf('\n', System.Math.Max(0, position - 1)) + 1;

    private sealed class Level
    {
        public Level(int indent, string qualified, int[] path, HashSet<string> children)
        {
            Indent = indent;
            Qualified = qualified;
            Path = path;
            Children = children;
        }

        public int Indent { get; }

        public string Qualified { get; }

        public int[] Path { get; }

        public HashSet<string> Children { get; }
    }
}
