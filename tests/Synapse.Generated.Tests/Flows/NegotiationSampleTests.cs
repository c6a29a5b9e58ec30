namespace Synapse.Generated.Tests.Flows;

/// <summary>The buyer/seller sample: compiled flows through a relay, with decision graphs that verify and link.</summary>
public sealed class NegotiationSampleTests
{
    [Fact]
    public async Task The_buyer_and_seller_reach_a_deal_and_their_graphs_verify_and_cross_link()
    {
        var output = new StringWriter();
        var exit = await Negotiation.NegotiationRun.RunAsync(output, floor: 90, opening: 60, ceiling: 120);
        var lines = output.ToString();
        Assert.True(exit == 0, lines);
        Assert.Contains("deal at 90", lines); // 60, countered at 90: 75, 83, 87, 89, 90 — accepted
        Assert.Matches(@"graphs verify: [1-9]\d* cross-link\(s\) resolved, 0 unresolved", lines);
    }

    [Fact]
    public async Task A_buyer_whose_ceiling_is_below_the_floor_never_gets_a_deal()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Negotiation.NegotiationRun.RunAsync(new StringWriter(), floor: 90, opening: 60, ceiling: 80, timeout: TimeSpan.FromSeconds(3)));
        Assert.Contains("no deal", error.Message);
    }
}
