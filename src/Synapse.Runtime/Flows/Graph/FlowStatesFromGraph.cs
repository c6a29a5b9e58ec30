namespace Synapse.Flows.Graph;

/// <summary>Resuming a flow's kept states from its decision graph after a restart.</summary>
public static class FlowStatesFromGraph
{
    /// <summary>
    /// The states an agent with one unkeyed set of states was in when it stopped: the states the newest recorded batch
    /// reached (the union over the newest records caused by the same message), or <paramref name="initial"/> when the
    /// graph has none yet. Records made for a message without an id are taken one by one (the newest).
    /// </summary>
    /// <param name="graph">The agent's graph.</param>
    /// <param name="initial">The states of an agent with no history.</param>
    public static FlowStates ResumeFlowStates(this DecisionGraph graph, params string[] initial)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var records = graph.Records();
        var newest = records.LastOrDefault(record => record.StatesAfter.Count > 0);
        if (newest is null)
        {
            return new FlowStates(initial);
        }

        // Records of one message share its id; without one (a message from no transport), only the newest counts.
        var batch = (newest.CauseMessageId is null ? [newest] : records.Reverse().TakeWhile(record => record.CauseMessageId == newest.CauseMessageId).Reverse())
            .Where(record => record.StatesAfter.Count > 0)
            .SelectMany(record => record.StatesAfter)
            .Distinct()
            .Select(StateNode.Parse)
            .ToList();
        return new FlowStates([new KeyValuePair<string?, IReadOnlyList<StateNode>>(null, batch)]);
    }
}
