using Synapse.Flows;
using Synapse.Flows.Graph;
using Synapse.Identity;
using Xunit;

namespace Synapse.Tests.Flows.Graph;

public sealed class ResumeFlowStatesTests
{
    [Fact]
    public void An_agent_without_history_starts_in_its_initial_states()
    {
        using var directory = new GraphDirectory();
        using var identity = AgentIdentity.Generate();
        using var graph = DecisionGraph.Open(directory.Path, identity);
        Assert.Equal(["idle"], graph.ResumeFlowStates("idle").Describe());
    }

    [Fact]
    public void An_agent_resumes_in_the_states_its_newest_message_reached()
    {
        using var directory = new GraphDirectory();
        using var identity = AgentIdentity.Generate();
        using var graph = DecisionGraph.Open(directory.Path, identity);
        var older = Guid.NewGuid();
        var newest = Guid.NewGuid();
        graph.Append(Draft(older, "old"));
        graph.Append(Draft(newest, "b"));
        graph.Append(Draft(newest, "/oneof(x,y)"));
        graph.Append(Draft(newest)); // a test: no states reached

        Assert.Equal(["b", "/oneof(x,y)"], graph.ResumeFlowStates("idle").Describe());
    }

    [Fact]
    public void A_keyed_agent_resumes_each_key_in_the_states_its_newest_batch_reached()
    {
        using var directory = new GraphDirectory();
        using var identity = AgentIdentity.Generate();
        using var graph = DecisionGraph.Open(directory.Path, identity);
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        graph.Append(Draft(first, "doc1:draft"));
        graph.Append(Draft(first, "doc2:draft"));
        graph.Append(Draft(second, "doc1:review"));
        graph.Append(Draft(second, "doc1:/oneof(x,y)"));

        var states = graph.ResumeFlowStates(Keyed(("doc1", "new"), ("doc2", "new")));

        Assert.Equal(["doc1:review", "doc1:/oneof(x,y)", "doc2:draft"], states.Describe());
        Assert.Equal(StateTapeShape.IndexMany, states.Snapshot().Shape);
    }

    [Fact]
    public void Keys_resume_independently_of_newer_records_of_other_keys()
    {
        using var directory = new GraphDirectory();
        using var identity = AgentIdentity.Generate();
        using var graph = DecisionGraph.Open(directory.Path, identity);
        var message = Guid.NewGuid();
        graph.Append(Draft(Guid.NewGuid(), "b:old"));
        graph.Append(Draft(message, "b:one"));
        graph.Append(Draft(Guid.NewGuid(), "a:x"));   // another message, another key: b's batch is not cut off
        graph.Append(Draft(message, "b:two"));
        graph.Append(Draft(Guid.NewGuid(), "a:y"));
        graph.Append(KeyedTest("b"));   // b's newest record reached nothing: b keeps its batch

        var states = graph.ResumeFlowStates(Keyed(("a", "start"), ("b", "start"), ("c", "start")));

        Assert.Equal(["a:y", "b:one", "b:two", "c:start"], states.Describe());
    }

    [Fact]
    public void A_test_after_the_newest_batch_keeps_the_unkeyed_states_of_that_batch()
    {
        using var directory = new GraphDirectory();
        using var identity = AgentIdentity.Generate();
        using var graph = DecisionGraph.Open(directory.Path, identity);
        graph.Append(Draft(Guid.NewGuid(), "b"));
        graph.Append(Draft(Guid.NewGuid())); // a later message's test: no states reached

        Assert.Equal(["b"], graph.ResumeFlowStates("idle").Describe());
    }

    [Fact]
    public void Keys_holding_colons_are_read_up_to_the_last_colon()
    {
        using var directory = new GraphDirectory();
        using var identity = AgentIdentity.Generate();
        using var graph = DecisionGraph.Open(directory.Path, identity);
        graph.Append(Draft(Guid.NewGuid(), "urn:doc:1:review"));

        var states = graph.ResumeFlowStates(Keyed(("urn:doc:1", "new")));

        Assert.Equal([StateNode.State("review")], states.Snapshot().StatesOf("urn:doc:1"));
        Assert.Equal(["urn:doc:1"], states.Snapshot().Keys);
    }

    [Fact]
    public void Unkeyed_records_resume_the_unkeyed_set_beside_the_keys()
    {
        using var directory = new GraphDirectory();
        using var identity = AgentIdentity.Generate();
        using var graph = DecisionGraph.Open(directory.Path, identity);
        graph.Append(Draft(Guid.NewGuid(), "ready"));      // an initial route fires unkeyed
        graph.Append(Draft(Guid.NewGuid(), "k:working"));

        var keyed = graph.ResumeFlowStates(Keyed(("k", "new")));
        var unkeyedInitial = graph.ResumeFlowStates("idle");

        Assert.Equal([StateNode.State("ready")], keyed.Snapshot().StatesOf(""));
        Assert.Equal([StateNode.State("working")], keyed.Snapshot().StatesOf("k"));
        Assert.Equal(["", "k"], keyed.Snapshot().Keys.Order());
        Assert.Equal([StateNode.State("ready")], unkeyedInitial.Snapshot().StatesOf(""));
        Assert.Equal([StateNode.State("working")], unkeyedInitial.Snapshot().StatesOf("k"));
    }

    [Fact]
    public void A_keyed_agent_without_history_starts_in_its_initial_states()
    {
        using var directory = new GraphDirectory();
        using var identity = AgentIdentity.Generate();
        using var graph = DecisionGraph.Open(directory.Path, identity);
        graph.Append(KeyedTest("seen"));   // a key that never reached states is not added

        Assert.Equal(["a:new", "b:new"], graph.ResumeFlowStates(Keyed(("a", "new"), ("b", "new"))).Describe());
        Assert.Equal(["c:new"], graph.ResumeFlowStates([new KeyValuePair<string?, IReadOnlyList<StateNode>>("c", [StateNode.State("new")])]).Describe());
    }

    private static KeyValuePair<string?, IReadOnlyList<StateNode>>[] Keyed(params (string Key, string State)[] states) =>
        [.. states.Select(pair => new KeyValuePair<string?, IReadOnlyList<StateNode>>(pair.Key, [StateNode.State(pair.State)]))];

    private static DecisionDraft KeyedTest(string key) => new()
    {
        Route = "a--[]-->b",
        StatesBefore = [$"{key}:a"],
        StatesAfter = [],
        Trigger = "ok",
        Action = DecisionActions.Test,
        CauseMessageId = Guid.NewGuid(),
    };

    private static DecisionDraft Draft(Guid message, params string[] after) => new()
    {
        Route = "a--[]-->b",
        StatesBefore = ["a"],
        StatesAfter = after,
        Trigger = "ok",
        Action = after.Length == 0 ? DecisionActions.Test : DecisionActions.Move,
        CauseMessageId = message,
    };
}
