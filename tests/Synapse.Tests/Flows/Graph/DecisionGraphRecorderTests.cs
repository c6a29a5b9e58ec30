using Synapse.Flows;
using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Tests.Flows.Graph;

/// <summary>A flow runner records its transitions in the decision graph, linked to the sender's graph.</summary>
public sealed class DecisionGraphRecorderTests : IDisposable
{
    private static readonly Signal Ok = new([0], "ok", "ok.match");
    private readonly GraphDirectory _aliceDir = new();
    private readonly GraphDirectory _bobDir = new();
    private readonly AgentIdentity _alice = AgentIdentity.Generate();
    private readonly AgentIdentity _bob = AgentIdentity.Generate();

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _aliceDir.Dispose();
        _bobDir.Dispose();
    }

    [Fact]
    public async Task Transitions_become_records_that_link_to_the_senders_latest_record()
    {
        using var aliceGraph = DecisionGraph.Open(_aliceDir.Path, _alice);
        using var bobGraph = DecisionGraph.Open(_bobDir.Path, _bob);
        var alice = new DecisionGraphRecorder(aliceGraph);
        var bob = new DecisionGraphRecorder(bobGraph);
        Assert.True(alice.LatestHash.IsEmpty);

        await Runner(alice, "idle").HandleAsync("go");
        var sent = alice.LatestHash.ToArray(); // what Alice's next message carries
        var messageId = Guid.NewGuid();
        await Runner(bob, "idle").HandleAsync("payload", new FlowMessageContext(messageId, _alice.Id.ToString(), sent));
        await alice.FlushAsync(); // the recorders do not wait for the disk; their graphs commit in groups
        await bob.FlushAsync();

        var aliceRecord = Assert.Single(aliceGraph.Records());
        Assert.Equal(aliceRecord.Hash.Bytes.ToArray(), sent);
        var record = Assert.Single(bobGraph.Records());
        Assert.Equal("idle--[]-->busy", record.Route); // FlowRoute.Canonical
        Assert.Equal(["idle"], record.StatesBefore);
        Assert.Equal(["busy"], record.StatesAfter);
        Assert.Equal("ok.match", record.Trigger);
        Assert.Equal(DecisionActions.Move, record.Action);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData("payload"u8), record.DataDigest.ToArray());
        Assert.Equal(messageId, record.CauseMessageId);
        Assert.Equal(aliceRecord.Hash, record.CauseHash);

        var together = DecisionGraphVerifier.Verify([aliceGraph.Path, bobGraph.Path]);
        Assert.True(together.IsValid, together.FirstError?.ToString());
        Assert.Equal(1, together.ResolvedLinks);
        Assert.Equal(1, DecisionGraphVerifier.Verify(bobGraph.Path).UnresolvedLinks);
    }

    [Fact]
    public void Keyed_states_are_recorded_with_their_key_and_odd_hashes_are_not_links()
    {
        var transition = new FlowTransition("r", FlowRoute.Arrow([StateNode.State("a")], [], [StateNode.Not("b", "c")]), "doc7",
            [StateNode.State("a")], [StateNode.Not("b", "c")], FlowEvent.Test(Ok, data: 42), new FlowMessageContext(null, null, new byte[] { 1, 2 }));

        var draft = DecisionGraphRecorder.ToDraft(transition);

        Assert.Equal(["doc7:a"], draft.StatesBefore);
        Assert.Equal(["doc7:/not(b,c)"], draft.StatesAfter);
        Assert.Equal(DecisionActions.Test, draft.Action);
        Assert.Null(draft.Data); // not bytes or text: no digest
        Assert.Null(draft.CauseHash);
        Assert.Null(draft.CauseMessageId);
    }

    private static FlowRunner<object> Runner(IFlowRecorder recorder, string state)
    {
        var flow = new FlowDefinition<object>
        {
            Receivers =
            [
                new FlowReceiver<object>("start", FlowRoute.Arrow([StateNode.State("idle")], [], [StateNode.State("busy")]), [],
                    (_, payload, _) => ValueTask.FromResult<FlowEvent?>(FlowEvent.Move(Ok, payload))),
            ],
            Senders = [],
        };
        return new FlowRunner<object>(new object(), flow, (_, _) => ValueTask.CompletedTask, new FlowRunnerOptions { Recorder = recorder, States = new FlowStates(state) });
    }
}
