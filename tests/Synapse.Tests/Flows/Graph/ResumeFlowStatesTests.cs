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
