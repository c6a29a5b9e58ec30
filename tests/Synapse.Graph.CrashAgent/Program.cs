using Synapse.Flows.Graph;
using Synapse.Identity;

// Usage: Synapse.Graph.CrashAgent DATA_DIRECTORY SEED_HEX
// Opens the agent's decision graph, prints "resume SEQUENCE STATE" (its latest record), then appends one
// transition after another, printing "ack SEQUENCE" after each Append has returned (so the record is durable).
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
var latest = graph.Latest;
var state = latest is null ? "start" : latest.StatesAfter[0];
Console.WriteLine($"resume {latest?.Sequence ?? 0} {state}");
for (var sequence = (latest?.Sequence ?? 0) + 1; ; sequence++)
{
    var next = $"step-{sequence}";
    var record = graph.Append(new DecisionDraft
    {
        Route = "crash/loop",
        StatesBefore = [state],
        StatesAfter = [next],
        Trigger = "ok",
        Action = DecisionActions.Move,
        Data = BitConverter.GetBytes(sequence),
    });
    Console.WriteLine($"ack {record.Sequence}");
    state = next;
}
