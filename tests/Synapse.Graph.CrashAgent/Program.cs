using Synapse.Flows;
using Synapse.Flows.Graph;
using Synapse.Identity;

// Usage: Synapse.Graph.CrashAgent DATA_DIRECTORY SEED_HEX [flow|writers]
// Opens the agent's decision graph and prints "resume SEQUENCE STATE" (its latest record and the flow state resumed
// from it). Then, in mode flow (the default), runs a flow message after message without waiting for the disk (its
// recorder commits in groups) and prints "ack SEQUENCE HASH" for each record once it is durable; in mode writers,
// four tasks append concurrently with AppendAsync and each prints "ack SEQUENCE HASH" when its append returns (its
// batch committed). Exits when its standard input closes, so it never outlives the test that started it.
if (args is not ([_, _] or [_, _, "flow" or "writers"]))
{
    Console.Error.WriteLine("usage: Synapse.Graph.CrashAgent DATA_DIRECTORY SEED_HEX [flow|writers]");
    return 2;
}

var (directory, seedHex, mode) = (args[0], args[1], args.Length == 3 ? args[2] : "flow");
_ = Task.Run(() =>
{
    while (Console.In.ReadLine() is not null)
    {
    }

    Environment.Exit(0);
});

using var identity = AgentIdentity.FromSeed(Convert.FromHexString(seedHex));
using var graph = DecisionGraph.Open(directory, identity);
if (mode == "writers")
{
    Console.WriteLine($"resume {graph.Latest?.Sequence ?? 0} -");
    async Task Write(int writer)
    {
        for (var n = 0; ; n++)
        {
            var record = await graph.AppendAsync(new DecisionDraft
            {
                Route = $"writer{writer}",
                StatesBefore = [$"w{writer}:{n}"],
                StatesAfter = [$"w{writer}:{n + 1}"],
                Trigger = "ok",
                Action = DecisionActions.Move,
                Data = BitConverter.GetBytes(n),
            });
            Console.WriteLine($"ack {record.Sequence} {record.Hash}");
        }
    }

    await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(() => Write(writer))));
    return 0;
}

// A flow whose state goes round a -> b -> c -> a, one transition per message, recorded in the graph; its kept states
// resume from the graph, so a restarted agent carries on from where the last durable record left it.
var ok = new Signal([0], "ok", "ok");
FlowReceiver<object> Step(string from, string to) =>
    new($"{from}->{to}", FlowRoute.Arrow([StateNode.State(from)], [], [StateNode.State(to)]), [], (_, payload, _) => ValueTask.FromResult<FlowEvent?>(FlowEvent.Move(ok, payload)));
var flow = new FlowDefinition<object> { Receivers = [Step("a", "b"), Step("b", "c"), Step("c", "a")], Senders = [] };
var states = graph.ResumeFlowStates("a");
var runner = new FlowRunner<object>(new object(), flow, (_, _) => ValueTask.CompletedTask,
    new FlowRunnerOptions { States = states, Recorder = new DecisionGraphRecorder(graph), EventBridgeCapacity = int.MaxValue });
var resumed = graph.Latest?.Sequence ?? 0;
Console.WriteLine($"resume {resumed} {string.Join(",", states.Describe())}");

// Acknowledges what is durable: after each flush, every record up to the newest committed one.
_ = Task.Run(async () =>
{
    var acknowledged = resumed;
    while (true)
    {
        await graph.FlushAsync();
        var durable = graph.Latest?.Sequence ?? 0;
        if (durable == acknowledged)
        {
            await Task.Delay(1);
            continue;
        }

        foreach (var record in graph.Records(acknowledged + 1, (int)(durable - acknowledged)))
        {
            Console.WriteLine($"ack {record.Sequence} {record.Hash}");
        }

        acknowledged = durable;
    }
});

for (var message = 0L; ; message++)
{
    await runner.HandleAsync(BitConverter.GetBytes(message));
}
