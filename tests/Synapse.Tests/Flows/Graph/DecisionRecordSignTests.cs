using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.Tests.Envelopes;

namespace Synapse.Tests.Flows.Graph;

/// <summary>The public API a store of one's own uses: <see cref="DecisionRecord.Sign"/>, <see cref="DecisionRecord.Decode"/>,
/// <see cref="DecisionRecord.VerifySignature"/>; the SQLite graph uses nothing else.</summary>
public sealed class DecisionRecordSignTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);
    private readonly GraphDirectory _dir = new();
    private readonly AgentIdentity _identity = AgentIdentity.Generate();

    public void Dispose()
    {
        _identity.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void A_chain_signed_by_hand_is_the_chain_the_sqlite_graph_writes()
    {
        var time = new ManualTimeProvider(Start);
        using var graph = DecisionGraph.Open(_dir.Path, _identity, time);
        DecisionDraft first = Draft("draft", "review");
        DecisionDraft second = Draft("review", "done");

        DecisionRecord one = DecisionRecord.Sign(_identity, first, 1, DecisionHash.Zero, Start);
        DecisionRecord two = DecisionRecord.Sign(_identity, second, 2, one.Hash, Start.AddSeconds(1));
        DecisionRecord stored1 = graph.Append(first);
        time.Advance(TimeSpan.FromSeconds(1));
        DecisionRecord stored2 = graph.Append(second);

        Assert.Equal(stored1.Bytes.ToArray(), one.Bytes.ToArray());
        Assert.Equal(stored2.Bytes.ToArray(), two.Bytes.ToArray());
        Assert.Equal(one.Hash, two.Previous);
        DecisionRecord decoded = DecisionRecord.Decode(two.Bytes.Span);
        Assert.True(decoded.VerifySignature());
        Assert.Equal(two.Hash, decoded.Hash);
        Assert.Equal(1, DecisionRecord.Version);
    }

    [Fact]
    public void A_draft_or_a_place_that_breaks_the_rules_is_refused()
    {
        var bad = new DecisionDraft { Route = "", Action = DecisionActions.Move };

        var error = Assert.Throws<ArgumentException>(() => DecisionRecord.Sign(_identity, bad, 1, DecisionHash.Zero, Start));
        Assert.Contains("Invalid decision draft: the route is empty", error.Message);
        Assert.Throws<ArgumentException>(() => DecisionRecord.Sign(_identity, Draft("a", "b"), 0, DecisionHash.Zero, Start));
        Assert.Throws<ArgumentNullException>(() => DecisionRecord.Sign(null!, Draft("a", "b"), 1, DecisionHash.Zero, Start));
    }

    private static DecisionDraft Draft(string before, string after) => new()
    {
        Route = "review/submit",
        StatesBefore = ["doc:" + before],
        StatesAfter = ["doc:" + after],
        Action = DecisionActions.Move,
        Data = "payload"u8.ToArray(),
    };
}
