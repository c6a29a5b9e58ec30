using System.Text;
using Synapse.Docs.Tests.Snippets;
using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.Tasks;

namespace Synapse.Docs.Tests;

/// <summary>The snippets that can run on this machine alone run, and do what their docs say.</summary>
public sealed class RunnableSnippetTests
{
    [Fact]
    public async Task Readme_quickstart_serves_the_calculator_and_calls_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (three, pong) = await ReadmeQuickstart.RunAsync().WaitAsync(timeout.Token);

        Assert.Equal(3, three);
        Assert.Equal("pong", pong.AsString());
    }

    [Fact]
    public async Task Tasks_snippet_follows_a_report_through_its_question_to_its_result()
    {
        var directory = Directory.CreateTempSubdirectory("synapse-docs-tasks-");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var host = TasksSnippet.Serve(directory.FullName);
            await using (host)
            {
                await host.StartAsync(timeout.Token);
                await using var client = new Synapse.Client.SynapseClient("127.0.0.1", host.Port);

                var lines = await TasksSnippet.FollowAsync(client, timeout.Token);

                Assert.Equal(["page 1 done", "page 2 done", "page 3 done", "Completed: \"published: energy\""], lines);
            }

            ((IDisposable)host.Options.Tasks!.Store!).Dispose();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Envelopes_seal_to_bob_and_only_bob_opens()
    {
        using var alice = AgentIdentity.Generate();
        using var bob = AgentIdentity.Generate();
        var payload = Encoding.UTF8.GetBytes("hello bob");

        var (genuine, opened) = EnvelopesSnippet.Run(alice, bob, payload);

        Assert.True(genuine);
        Assert.Equal(alice.Id, opened.Sender);
        Assert.Equal(payload, opened.Payload.ToArray());
    }

    [Fact]
    public void Decision_graph_records_a_transition_and_imports_a_peer_record()
    {
        var directory = Directory.CreateTempSubdirectory("synapse-docs-");
        try
        {
            using var identity = AgentIdentity.Generate();
            using var peer = AgentIdentity.Generate();
            DecisionRecord peerRecord;
            using (var peerGraph = DecisionGraph.Open(Path.Combine(directory.FullName, "peer"), peer))
            {
                peerRecord = peerGraph.Append(new DecisionDraft { Route = "offer", Action = DecisionActions.Move });
            }

            var message = new ReceivedMessage(Guid.NewGuid(), peerRecord.Hash);
            var (states, record, latest) = DecisionGraphUsingIt.Run(
                Path.Combine(directory.FullName, "me"), identity, Encoding.UTF8.GetBytes("payload"), message, peerRecord.Bytes.ToArray());

            Assert.Equal(["idle"], states.Snapshot().StatesOf(null).Select(state => state.ToString()));
            Assert.Equal(identity.Id, record.Agent);
            Assert.Equal(1, record.Sequence);
            Assert.Equal(["doc42:review"], record.StatesAfter);
            Assert.Equal(message.Id, record.CauseMessageId);
            Assert.Equal(peerRecord.Hash, record.CauseHash);
            Assert.Equal(record.Hash, latest);
            Assert.True(record.VerifySignature());

            using var reopened = DecisionGraph.Open(Path.Combine(directory.FullName, "me"), identity);
            var (unkeyed, keyed) = DecisionGraphUsingIt.Resuming(reopened);
            Assert.Equal(["review"], keyed.Snapshot().StatesOf("doc42").Select(state => state.ToString()));
            Assert.Equal(["draft"], keyed.Snapshot().StatesOf("doc1").Select(state => state.ToString()));
            Assert.Equal(["idle"], unkeyed.Snapshot().StatesOf(null).Select(state => state.ToString()));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
