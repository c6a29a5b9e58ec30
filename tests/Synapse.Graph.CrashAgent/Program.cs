using Synapse.Flows;
using Synapse.Flows.Graph;
using Synapse.Identity;

// Usage: Synapse.Graph.CrashAgent DATA_DIRECTORY SEED_HEX
// Opens the agent's decision graph, prints "resume SEQUENCE STATE" (its latest record and the flow state resumed
// from it), then runs a flow message after message, printing "ack SEQUENCE" once each transition's record is durable.
// Exits when its standard input closes, so it never outlives the test that started it.
if (args is not [var directory, var seedHex])
{
    Console.Error.WriteLine("usage: Synapse.Graph.CrashAgent DATA_DIRECTORY SEED_HEX");
    return 2;
}

_ = Task.Run(() =>
{
    while (Console.In.ReadLine() is not null)
    {
    }

    Environment.Exit(0);
});

using var identity = AgentIdentity.FromSeed(Convert.FromHexString(seedHex));
using var graph = DecisionGraph.Open(directory, identity);

// A flow whose state goes round a -> b -> c -> a, one transition per message, recorded in the graph; its kept states
// resume from the graph, so a restarted agent carries on from where the last durable record left it.
var ok = new Signal([0], "ok", "ok");
FlowReceiver<object> Step(string from, string to) =>
    new($"{from}->{to}", FlowRoute.Arrow([StateNode.State(from)], [], [StateNode.State(to)]), [], (_, payload, _) => ValueTask.FromResult<FlowEvent?>(FlowEvent.Move(ok, payload)));
var flow = new FlowDefinition<object> { Receivers = [Step("a", "b"), Step("b", "c"), Step("c", "a")], Senders = [] };
var states = graph.ResumeFlowStates("a");
var runner = new FlowRunner<object>(new object(), flow, (_, _) => ValueTask.CompletedTask,
    new FlowRunnerOptions { States = states, Recorder = new DecisionGraphRecorder(graph), EventBridgeCapacity = int.MaxValue });
Console.WriteLine($"resume {graph.Latest?.Sequence ?? 0} {string.Join(",", states.Describe())}");
for (var message = 0L; ; message++)
{
    await runner.HandleAsync(BitConverter.GetBytes(message));
    Console.WriteLine($"ack {graph.Latest!.Sequence}");
}
