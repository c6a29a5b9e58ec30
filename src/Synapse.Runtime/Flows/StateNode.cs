namespace Synapse.Flows;

/// <summary>What a state node is: a plain state, or one of the gates.</summary>
public enum StateNodeKind
{
    /// <summary>A state name.</summary>
    Plain,

    /// <summary><c>/all</c>: any state.</summary>
    All,

    /// <summary><c>/not(a,b)</c>: any state but these.</summary>
    Not,

    /// <summary><c>/oneof(a,b)</c>: any of these.</summary>
    OneOf,
}

/// <summary>
/// A node of a flow route: a state name, or a gate (<c>/all</c>, <c>/not(…)</c>, <c>/oneof(…)</c>). Routes are
/// parsed by the generator at compile time; at run time nodes are only matched (<see cref="Accepts"/>).
/// </summary>
public sealed class StateNode : IEquatable<StateNode>
{
    private StateNode(StateNodeKind kind, string? name, string[] names)
    {
        Kind = kind;
        Name = name;
        Names = names;
    }

    /// <summary>The <c>/all</c> gate.</summary>
    public static StateNode All { get; } = new(StateNodeKind.All, null, []);

    /// <summary>The kind of node.</summary>
    public StateNodeKind Kind { get; }

    /// <summary>The state name of a plain node; null for gates.</summary>
    public string? Name { get; }

    /// <summary>The names listed by <c>/not</c> or <c>/oneof</c>; empty otherwise.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>A plain state.</summary>
    public static StateNode State(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new StateNode(StateNodeKind.Plain, name, []);
    }

    /// <summary>The gate <c>/not(names)</c>.</summary>
    public static StateNode Not(params string[] names) => new(StateNodeKind.Not, null, [.. names]);

    /// <summary>The gate <c>/oneof(names)</c>.</summary>
    public static StateNode OneOf(params string[] names) => new(StateNodeKind.OneOf, null, [.. names]);

    /// <summary>Reads a node's canonical text (<see cref="ToString"/>): <c>name</c>, <c>/all</c>, <c>/not(a,b)</c>, <c>/oneof(a,b)</c>.</summary>
    /// <exception cref="FormatException">Not a node's canonical text.</exception>
    public static StateNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "/all")
        {
            return All;
        }

        foreach (var (prefix, make) in new (string, Func<string[], StateNode>)[] { ("/not(", Not), ("/oneof(", OneOf) })
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal) && text.EndsWith(')'))
            {
                return make(text[prefix.Length..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        return text.Length > 0 && (char.IsLetter(text[0]) || text[0] == '_') && text.All(c => char.IsLetterOrDigit(c) || c == '_')
            ? State(text)
            : throw new FormatException($"'{text}' is not a state or a gate.");
    }

    /// <summary>
    /// Whether this node, used as a gate, lets <paramref name="state"/> through (Summoner's <c>Node.accepts</c>):
    /// <c>/all</c> on either side accepts; plain against plain compares names; a plain gate passes a <c>/not</c>
    /// state it is not excluded from and a <c>/oneof</c> state it is one of; <c>/not</c> passes a plain state it does
    /// not list and any gate; <c>/oneof</c> passes a plain state it lists, a <c>/not</c> state that leaves one of its
    /// names, and a <c>/oneof</c> state it shares a name with.
    /// </summary>
    public bool Accepts(StateNode state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (Kind == StateNodeKind.All || state.Kind == StateNodeKind.All)
        {
            return true;
        }

        return (Kind, state.Kind) switch
        {
            (StateNodeKind.Plain, StateNodeKind.Plain) => Name == state.Name,
            (StateNodeKind.Plain, StateNodeKind.Not) => !state.Names.Contains(Name!),
            (StateNodeKind.Plain, StateNodeKind.OneOf) => state.Names.Contains(Name!),
            (StateNodeKind.Not, StateNodeKind.Plain) => !Names.Contains(state.Name!),
            (StateNodeKind.Not, _) => true,
            (StateNodeKind.OneOf, StateNodeKind.Plain) => Names.Contains(state.Name!),
            (StateNodeKind.OneOf, StateNodeKind.Not) => Names.Any(name => !state.Names.Contains(name)),
            (StateNodeKind.OneOf, StateNodeKind.OneOf) => Names.Any(state.Names.Contains),
            _ => false,
        };
    }

    /// <inheritdoc />
    public bool Equals(StateNode? other) =>
        other is not null && Kind == other.Kind && Name == other.Name && Names.SequenceEqual(other.Names);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as StateNode);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        hash.Add(Name);
        foreach (var name in Names)
        {
            hash.Add(name);
        }

        return hash.ToHashCode();
    }

    /// <summary>The canonical text: <c>name</c>, <c>/all</c>, <c>/not(a,b)</c>, <c>/oneof(a,b)</c>.</summary>
    public override string ToString() => Kind switch
    {
        StateNodeKind.Plain => Name!,
        StateNodeKind.All => "/all",
        StateNodeKind.Not => $"/not({string.Join(',', Names)})",
        _ => $"/oneof({string.Join(',', Names)})",
    };
}
