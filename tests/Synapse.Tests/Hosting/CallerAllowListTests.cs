using Synapse.Hosting;
using Synapse.Identity;

namespace Synapse.Tests.Hosting;

public sealed class CallerAllowListTests
{
    [Fact]
    public void Endpoints_not_listed_are_open_to_everyone()
    {
        using var friend = AgentIdentity.Generate();
        var allowed = new Dictionary<string, HashSet<AgentId>>(StringComparer.Ordinal);

        Assert.True(CallerAllowList.Allows(allowed, "sum", null));

        allowed["_agent.evidence"] = [friend.Id];
        Assert.True(CallerAllowList.Allows(allowed, "sum", null));
        Assert.True(CallerAllowList.Allows(allowed, "sum", "not an agent id"));
    }

    [Fact]
    public void A_listed_endpoint_takes_only_the_proven_agents_in_its_set()
    {
        using var friend = AgentIdentity.Generate();
        using var stranger = AgentIdentity.Generate();
        var allowed = new Dictionary<string, HashSet<AgentId>>(StringComparer.Ordinal) { ["_agent.evidence"] = [friend.Id] };

        Assert.True(CallerAllowList.Allows(allowed, "_agent.evidence", friend.Id.ToString()));
        Assert.False(CallerAllowList.Allows(allowed, "_agent.evidence", stranger.Id.ToString()));
        Assert.False(CallerAllowList.Allows(allowed, "_agent.evidence", null));
        Assert.False(CallerAllowList.Allows(allowed, "_agent.evidence", "did:key:garbage"));
    }

    [Fact]
    public void The_refusal_names_the_caller_or_says_it_is_anonymous()
    {
        Assert.Equal("did:key:z6Mk may not call _agent.evidence", CallerAllowList.Refusal("_agent.evidence", "did:key:z6Mk"));
        Assert.Equal("an anonymous caller may not call _agent.evidence", CallerAllowList.Refusal("_agent.evidence", null));
    }
}
