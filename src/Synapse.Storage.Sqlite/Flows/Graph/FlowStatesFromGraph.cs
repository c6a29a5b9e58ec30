namespace Synapse.Flows.Graph;

/// <summary>Resuming a flow's kept states from its decision graph after a restart.</summary>
/// <remarks>
/// <para>
/// The resumed states are what a <see cref="FlowStates"/> seeded with the initial states holds after the recorded
/// batches: per key, the states the key's newest recorded batch reached replace its initial ones. A key's newest batch
/// is the union of the states after of its newest record that reached states and of the records of the same key just
/// before it caused by the same message; a record made for a message without an id is taken alone. As in
/// <see cref="FlowStates.Apply"/>, records that reached no states (tests) change nothing: such a key keeps the states of
/// its batch before, or its initial states, and a key that never reached states and has no initial states is absent.
/// </para>
/// <para>
/// Keys are read as <see cref="DecisionGraphRecorder"/> writes them: a state of a keyed tape is <c>key:state</c>, an
/// unkeyed one is the state alone. A state's canonical text (a name of letters, digits and <c>_</c>, or a gate over
/// such names) holds no <c>:</c>, so the text up to the last <c>:</c> is the key (which may itself hold <c>:</c>) and
/// text without one is unkeyed. A state made with <see cref="StateNode.State"/> from a name holding <c>:</c> cannot be
/// told apart from a keyed one and is not resumed faithfully. The unkeyed set and the key <c>""</c> are one set, as in
/// <see cref="FlowStates"/>.
/// </para>
/// </remarks>
public static class FlowStatesFromGraph
{
    /// <summary>
    /// The states an agent was in when it stopped: <paramref name="initial"/> (unkeyed) with, per key recorded in the
    /// graph (unkeyed included), the states its newest recorded batch reached. An agent with one unkeyed set of
    /// states gets the states its newest batch reached, or <paramref name="initial"/> when the graph has none yet.
    /// </summary>
    /// <param name="graph">The agent's graph.</param>
    /// <param name="initial">The states of an agent with no history.</param>
    public static FlowStates ResumeFlowStates(this DecisionGraph graph, params string[] initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        return graph.ResumeFlowStates([new KeyValuePair<string?, IReadOnlyList<StateNode>>(null, [.. initial.Select(StateNode.State)])]);
    }

    /// <summary>
    /// The states an agent with keyed states was in when it stopped: <paramref name="initial"/> (per key, as given to
    /// <see cref="FlowStates(IEnumerable{KeyValuePair{string, IReadOnlyList{StateNode}}})"/>) with, per key recorded
    /// in the graph, the states its newest recorded batch reached; keys first seen in the graph come after the
    /// initial ones, in the order they were first recorded.
    /// </summary>
    /// <param name="graph">The agent's graph.</param>
    /// <param name="initial">The states per key of an agent with no history (the key null for the unkeyed set).</param>
    public static FlowStates ResumeFlowStates(this DecisionGraph graph, IEnumerable<KeyValuePair<string?, IReadOnlyList<StateNode>>> initial)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(initial);
        var states = new Dictionary<string, IReadOnlyList<StateNode>>();
        foreach (var (key, nodes) in initial)
        {
            states[key ?? ""] = nodes;
        }

        // Per key, its records that reached states, in order: (cause message id, states reached).
        var byKey = new Dictionary<string, List<(Guid? Message, List<StateNode> After)>>();
        foreach (var record in graph.Records())
        {
            foreach (var group in record.StatesAfter.Select(Split).GroupBy(pair => pair.Key, pair => pair.State))
            {
                if (!byKey.TryGetValue(group.Key, out var list))
                {
                    byKey[group.Key] = list = [];
                }

                list.Add((record.CauseMessageId, [.. group]));
            }
        }

        foreach (var (key, records) in byKey)
        {
            var newest = records[^1];
            IEnumerable<(Guid? Message, List<StateNode> After)> batch = newest.Message is null
                ? [newest]
                : Enumerable.Reverse(records).TakeWhile(record => record.Message == newest.Message).Reverse();
            states[key] = [.. batch.SelectMany(record => record.After).Distinct()];
        }

        return new FlowStates(states.Select(pair => new KeyValuePair<string?, IReadOnlyList<StateNode>>(pair.Key, pair.Value)));
    }

    /// <summary>A recorded state's key (<c>""</c> for an unkeyed one) and node.</summary>
    private static (string Key, StateNode State) Split(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon < 0 ? ("", StateNode.Parse(text)) : (text[..colon], StateNode.Parse(text[(colon + 1)..]));
    }
}
