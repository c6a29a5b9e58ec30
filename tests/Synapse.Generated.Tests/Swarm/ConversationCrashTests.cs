using Synapse.Client;
using Synapse.Generated.Tests.HostedAgents;
using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Generated.Tests.Swarm;

/// <summary>
/// A swarm node killed with SIGKILL (tests/Synapse.CrashHost, its conversations in SQLite): every event it answered
/// <c>stored</c> is served again by the restarted node, and is still known, so gossip cannot store it twice.
/// </summary>
public sealed class ConversationCrashTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly SwarmPeer Author = new("author", "127.0.0.1", 1) { Swarm = "lab", Team = "default", Name = "author" };
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "synapse-conversation-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Every_event_a_node_said_it_stored_survives_a_kill()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var port = HostedAgentTests.FreePort();
        await using var client = new SynapseClient("127.0.0.1", port);
        var sent = Enumerable.Range(0, 200).Select(i => Event($"e{i:D3}", 1_000 + i)).ToList();
        using (var first = await CrashHost.StartAsync("swarm", _directory, port, timeout.Token))
        {
            foreach (var conversationEvent in sent)
            {
                var answer = await client.CallAsync("_synapse.conversation.event", [conversationEvent.ToMsgPack()], cancellationToken: timeout.Token);
                Assert.True(answer["stored"]!.AsBoolean());
            }

            first.Kill(); // SIGKILL, right after the last answer
            await first.WaitForExitAsync(timeout.Token);
        }

        using var second = await CrashHost.StartAsync("swarm", _directory, port, timeout.Token);
        var synced = await client.CallAsync("_synapse.conversation.sync", ["chat", 0.0], cancellationToken: timeout.Token);
        var again = await client.CallAsync("_synapse.conversation.event", [sent[^1].ToMsgPack()], cancellationToken: timeout.Token);

        Assert.Equal(sent.Select(e => e.ToMsgPack().ToBytes()), synced["events"]!.AsArray().Select(e => e.ToBytes()));
        Assert.False(again["stored"]!.AsBoolean());
        second.StandardInput.Close();
        await second.WaitForExitAsync(timeout.Token);
    }

    private static SwarmConversationEvent Event(string id, double createdAt) =>
        new("chat", id, "message", Author, MsgPackValue.Map([("text", id)]), null, createdAt, SwarmConversationEvent.EmptyMap);
}
