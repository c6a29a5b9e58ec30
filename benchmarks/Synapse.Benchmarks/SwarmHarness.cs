using Synapse.Client;
using Synapse.Hosting;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Benchmarks;

/// <summary>
/// What a swarm node pays to store gossip (client and node in one process, one secure multiplexed link, the node with
/// no peers to forward to): <c>_synapse.conversation.event</c> with a new event each call, unsigned or signed (the
/// sender signs in the same process, the node verifies), the log in memory or in SQLite; the unary call
/// <c>sum(1, 0)</c> is the baseline.
/// </summary>
internal static class SwarmHarness
{
    private const int InFlight = 16;
    private static readonly SwarmPeer Author = new("author", "127.0.0.1", 1) { Swarm = "bench", Team = "default", Name = "author" };

    public static async Task RunAsync(TimeSpan duration)
    {
        var directory = Directory.CreateTempSubdirectory("synapse-swarm-bench-");
        try
        {
            var signer = AgentIdentity.Generate();
            await using var memory = await StartAsync(null);
            using var log = SqliteConversationLog.Open(directory.FullName);
            await using var sqlite = await StartAsync(log);
            Console.WriteLine($"gossip stored by a swarm node: {InFlight} in flight, {duration.TotalSeconds:0} s per row, twice in alternating order");
            long sequence = 0;
            SwarmConversationEvent Next() => SwarmConversationEvent.Create(
                $"c{Interlocked.Increment(ref sequence) % 100}", "note", Author, MsgPackValue.Map(("text", "a line of a conversation between agents")), null, 1_800_000_000);
            await AlternatingRounds.RunAsync(
            [
                ("unary call", () => ConcurrentLoops.RunAsync(InFlight, () => memory.Bench.SumAsync(1, 0), duration)),
                ("event, unsigned, log in memory", () => ConcurrentLoops.RunAsync(InFlight, () => SendAsync(memory.Client, Next()), duration)),
                ("event, signed and verified, log in memory", () => ConcurrentLoops.RunAsync(InFlight, () => SendAsync(memory.Client, SwarmEventSignatures.Sign(Next(), signer)), duration)),
                ("event, signed and verified, log in SQLite", () => ConcurrentLoops.RunAsync(InFlight, () => SendAsync(sqlite.Client, SwarmEventSignatures.Sign(Next(), signer)), duration)),
            ], nameWidth: 52);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static Task SendAsync(SynapseClient client, SwarmConversationEvent conversationEvent) =>
        client.CallAsync("_synapse.conversation.event", [conversationEvent.ToMsgPack()]);

    private static Task<ServedAgent> StartAsync(ISwarmConversationLog? log) => ServedAgent.StartAsync(
        new AgentHostOptions { SwarmNode = new SwarmOptions { Swarm = "bench", HeartbeatInterval = null, ConversationLog = log } },
        InFlight,
        client => client.CallAsync("sum", [1, 0]));
}
