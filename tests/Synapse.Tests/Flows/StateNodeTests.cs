using Synapse.Flows;

namespace Synapse.Tests.Flows;

/// <summary>Summoner's <c>Node.accepts(gate, state)</c> rules (spec §2.3), gate on the left.</summary>
public class StateNodeTests
{
    private static readonly StateNode A = StateNode.State("A");
    private static readonly StateNode B = StateNode.State("B");

    public static TheoryData<StateNode, StateNode, bool> Cases => new()
    {
        // /all on either side
        { StateNode.All, A, true },
        { A, StateNode.All, true },
        { StateNode.Not("A"), StateNode.All, true },
        { StateNode.All, StateNode.OneOf(), true },
        // plain vs plain
        { A, A, true },
        { A, B, false },
        // plain gate vs /not(V): gate ∉ V
        { A, StateNode.Not("B", "C"), true },
        { A, StateNode.Not("A", "C"), false },
        { A, StateNode.Not(), true },
        // plain gate vs /oneof(V): gate ∈ V
        { A, StateNode.OneOf("A", "B"), true },
        { A, StateNode.OneOf("B"), false },
        // /not(V) gate vs plain: state ∉ V
        { StateNode.Not("A"), B, true },
        { StateNode.Not("A", "B"), B, false },
        // /not gate vs /not or /oneof: true
        { StateNode.Not("A"), StateNode.Not("A"), true },
        { StateNode.Not("A"), StateNode.OneOf("A"), true },
        // /oneof(G) vs plain: state ∈ G
        { StateNode.OneOf("A", "B"), B, true },
        { StateNode.OneOf("A"), B, false },
        // /oneof(G) vs /not(V): G∖V ≠ ∅
        { StateNode.OneOf("A", "B"), StateNode.Not("A"), true },
        { StateNode.OneOf("A", "B"), StateNode.Not("A", "B"), false },
        { StateNode.OneOf(), StateNode.Not(), false },
        // /oneof vs /oneof: overlap
        { StateNode.OneOf("A", "B"), StateNode.OneOf("B", "C"), true },
        { StateNode.OneOf("A"), StateNode.OneOf("B", "C"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Accepts_follows_summoners_rules(StateNode gate, StateNode state, bool expected) =>
        Assert.Equal(expected, gate.Accepts(state));

    [Fact]
    public void Canonical_text_and_equality()
    {
        Assert.Equal("/not(a,b)", StateNode.Not("a", "b").ToString());
        Assert.Equal("/oneof()", StateNode.OneOf().ToString());
        Assert.Equal("/all", StateNode.All.ToString());
        Assert.Equal(StateNode.OneOf("a", "b"), StateNode.OneOf("a", "b"));
        Assert.NotEqual(StateNode.OneOf("a", "b"), StateNode.Not("a", "b"));
        Assert.Equal(StateNode.State("x").GetHashCode(), StateNode.State("x").GetHashCode());
    }

    [Fact]
    public void A_plain_state_needs_a_name() =>
        Assert.ThrowsAny<ArgumentException>(() => StateNode.State(""));
}
