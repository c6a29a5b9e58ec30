namespace Synapse.Flows;

/// <summary>
/// States the runner keeps for a node that declares no <c>[UploadStates]</c>/<c>[DownloadStates]</c>: each message
/// runs on the current states, and after each batch a key whose states an event reached takes those states. Seed it
/// from the decision graph to resume where the agent was before a restart.
/// </summary>
public sealed class FlowStates
{
    private readonly Lock _lock = new();
    private Dictionary<string, List<StateNode>> _states;

    /// <summary>Starts from the given states per key (the key null for an agent with one set of states).</summary>
    public FlowStates(IEnumerable<KeyValuePair<string?, IReadOnlyList<StateNode>>> initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _states = initial.ToDictionary(pair => pair.Key ?? "", pair => pair.Value.ToList());
    }

    /// <summary>Starts in the given states (unkeyed).</summary>
    public FlowStates(params string[] initial)
        : this([new KeyValuePair<string?, IReadOnlyList<StateNode>>(null, [.. initial.Select(StateNode.State)])])
    {
    }

    /// <summary>The current states, as text (<c>state</c> or <c>key:state</c>).</summary>
    public IReadOnlyList<string> Describe() => Snapshot().Describe();

    /// <summary>The current states as a tape to run a message on.</summary>
    public StateTape Snapshot()
    {
        lock (_lock)
        {
            if (_states.Count == 1 && _states.ContainsKey(""))
            {
                return StateTape.From(_states[""].ToList());
            }

            return StateTape.From(_states.ToDictionary(pair => pair.Key, pair => (object)pair.Value.ToList()));
        }
    }

    /// <summary>Applies what a batch reached: each key with reached states takes them.</summary>
    public void Apply(StateTape reached)
    {
        ArgumentNullException.ThrowIfNull(reached);
        lock (_lock)
        {
            var next = new Dictionary<string, List<StateNode>>(_states);
            foreach (var key in reached.Keys)
            {
                var states = reached.StatesOf(key);
                if (states.Count > 0)
                {
                    next[key ?? ""] = [.. states];
                }
            }

            _states = next;
        }
    }
}
