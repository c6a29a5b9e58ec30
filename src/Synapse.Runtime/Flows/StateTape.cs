namespace Synapse.Flows;

/// <summary>How the states were given: one state, a list, or states per key.</summary>
public enum StateTapeShape
{
    /// <summary>One state (<c>"ready"</c>).</summary>
    Single,

    /// <summary>A list of states.</summary>
    Many,

    /// <summary>A dictionary from key to one state.</summary>
    IndexSingle,

    /// <summary>A dictionary from key to states.</summary>
    IndexMany,
}

/// <summary>
/// The states a flow runs on for one message: per key (one key, null, for the single and list shapes), the active
/// state nodes. Receivers fire once per (key, state, gate) match.
/// </summary>
public sealed class StateTape
{
    private readonly Dictionary<string, List<StateNode>> _states;
    private readonly List<string?> _keys;

    private StateTape(StateTapeShape shape, List<string?> keys, Dictionary<string, List<StateNode>> states)
    {
        Shape = shape;
        _keys = keys;
        _states = states;
    }

    /// <summary>The shape it was given in (kept for what is downloaded).</summary>
    public StateTapeShape Shape { get; }

    /// <summary>The keys, in order (null for the unkeyed shapes).</summary>
    public IReadOnlyList<string?> Keys => _keys;

    /// <summary>The states under <paramref name="key"/>.</summary>
    public IReadOnlyList<StateNode> StatesOf(string? key) => _states.TryGetValue(key ?? "", out var states) ? states : [];

    /// <summary>
    /// Reads what an <c>[UploadStates]</c> method returned: a state name or node, a list of them, or a dictionary
    /// (string keys, or null) of a state or a list of states. Null gives an empty keyed tape.
    /// </summary>
    /// <exception cref="ArgumentException">Another type.</exception>
    public static StateTape From(object? states)
    {
        switch (states)
        {
            case null:
                return new StateTape(StateTapeShape.IndexMany, [], []);
            case string or StateNode:
                return new StateTape(StateTapeShape.Single, [null], new() { [""] = [Node(states)] });
            case System.Collections.IDictionary dictionary:
                var keys = new List<string?>();
                var byKey = new Dictionary<string, List<StateNode>>();
                var many = false;
                foreach (System.Collections.DictionaryEntry entry in dictionary)
                {
                    var key = (string?)entry.Key;
                    keys.Add(key);
                    if (entry.Value is string or StateNode)
                    {
                        byKey[key ?? ""] = [Node(entry.Value)];
                    }
                    else
                    {
                        many = true;
                        byKey[key ?? ""] = Nodes(entry.Value);
                    }
                }

                return new StateTape(many ? StateTapeShape.IndexMany : StateTapeShape.IndexSingle, keys, byKey);
            case System.Collections.IEnumerable list:
                return new StateTape(StateTapeShape.Many, [null], new() { [""] = Nodes(list) });
            default:
                throw new ArgumentException($"States must be a state, a list of states or a dictionary of them, not {states.GetType().Name}.", nameof(states));
        }
    }

    /// <summary>An empty tape with the same keys and shape, to collect the states a batch reached.</summary>
    public StateTape EmptyLike() => new(Shape, [.. _keys], _keys.ToDictionary(key => key ?? "", _ => new List<StateNode>()));

    /// <summary>Adds a reached state under a key (once).</summary>
    public void Add(string? key, StateNode state)
    {
        if (!_states.TryGetValue(key ?? "", out var states))
        {
            _states[key ?? ""] = states = [];
            _keys.Add(key);
        }

        if (!states.Contains(state))
        {
            states.Add(state);
        }
    }

    /// <summary>Every state, as text (<c>state</c>, or <c>key:state</c> for keyed tapes), for records and logs.</summary>
    public IReadOnlyList<string> Describe() =>
        [.. _keys.SelectMany(key => StatesOf(key).Select(state => key is null ? state.ToString() : $"{key}:{state}"))];

    private static StateNode Node(object? value) => value switch
    {
        StateNode node => node,
        string name => StateNode.State(name),
        _ => throw new ArgumentException($"A state is a string or a StateNode, not {value?.GetType().Name ?? "null"}."),
    };

    private static List<StateNode> Nodes(object? values) => values is System.Collections.IEnumerable list and not string
        ? [.. list.Cast<object?>().Select(Node)]
        : [Node(values)];
}
