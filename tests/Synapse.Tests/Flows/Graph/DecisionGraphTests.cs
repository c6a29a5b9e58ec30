using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.Tests.Envelopes;

namespace Synapse.Tests.Flows.Graph;

/// <summary>Appending to, reopening and sharing a decision graph.</summary>
public sealed class DecisionGraphTests : IDisposable
{
    private readonly GraphDirectory _dir = new();
    private readonly AgentIdentity _alice = AgentIdentity.Generate();
    private readonly AgentIdentity _bob = AgentIdentity.Generate();

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Appends_chain_each_record_to_the_previous_one()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var graph = DecisionGraph.Open(_dir.Path, _alice, clock);
        Assert.Null(graph.Latest);
        Assert.Null(graph.LatestHash);

        var first = graph.Append(GraphKit.Draft(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = graph.Append(GraphKit.Draft(2));

        Assert.Equal((1, 2), (first.Sequence, second.Sequence));
        Assert.Equal(DecisionHash.Zero, first.Previous);
        Assert.Equal(first.Hash, second.Previous);
        Assert.Equal(first.Timestamp.AddSeconds(1), second.Timestamp);
        Assert.Same(second, graph.Latest);
        Assert.Equal(second.Hash, graph.LatestHash);
    }

    [Fact]
    public void Timestamps_never_go_backwards_when_the_clock_does()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var graph = DecisionGraph.Open(_dir.Path, _alice, clock);
        var first = graph.Append(GraphKit.Draft(1));

        clock.Advance(TimeSpan.FromMinutes(-5));
        var second = graph.Append(GraphKit.Draft(2));

        Assert.Equal(first.Timestamp, second.Timestamp);
        Assert.True(DecisionGraphVerifier.Verify(_dir.Database).IsValid);
    }

    [Fact]
    public void A_reopened_graph_resumes_from_its_latest_record_and_keeps_every_record()
    {
        List<DecisionRecord> written;
        using (var graph = DecisionGraph.Open(_dir.Path, _alice))
        {
            written = GraphKit.Fill(graph, 5);
        }

        using var reopened = DecisionGraph.Open(_dir.Path, _alice);
        Assert.Equal(written[^1].Hash, reopened.LatestHash);
        Assert.Equal(["doc:step-5"], reopened.Latest!.StatesAfter);
        Assert.Equal(written.Select(r => r.Hash), reopened.Records().Select(r => r.Hash));
        Assert.Equal([4, 5], reopened.Records(fromSequence: 4).Select(r => r.Sequence));
        Assert.Equal([2, 3], reopened.Records(fromSequence: 2, maxCount: 2).Select(r => r.Sequence));

        var sixth = reopened.Append(GraphKit.Draft(6));
        Assert.Equal(6, sixth.Sequence);
        Assert.Equal(written[^1].Hash, sixth.Previous);
    }

    [Fact]
    public void Another_agents_graph_is_refused_with_a_clear_error()
    {
        using (var graph = DecisionGraph.Open(_dir.Path, _alice))
        {
            graph.Append(GraphKit.Draft(1));
        }

        var error = Assert.Throws<DecisionGraphException>(() => DecisionGraph.Open(_dir.Path, _bob));

        Assert.Equal($"The decision graph '{_dir.Database}' belongs to {_alice.Id}, not to {_bob.Id}.", error.Message);
    }

    [Fact]
    public void An_empty_graph_is_still_bound_to_its_agent()
    {
        DecisionGraph.Open(_dir.Path, _alice).Dispose();

        Assert.Throws<DecisionGraphException>(() => DecisionGraph.Open(_dir.Path, _bob));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused()
    {
        File.WriteAllText(_dir.Database, string.Concat(Enumerable.Repeat("not a database ", 600)));

        var error = Assert.Throws<DecisionGraphException>(() => DecisionGraph.Open(_dir.Path, _alice));

        Assert.StartsWith($"Cannot open the decision graph '{_dir.Database}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_appends_are_serialized_into_one_chain()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _alice);

        Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => graph.Append(GraphKit.Draft(i + 1)));

        Assert.Equal(40, graph.Latest!.Sequence);
        var verification = DecisionGraphVerifier.Verify(_dir.Database);
        Assert.True(verification.IsValid, verification.FirstError?.ToString());
        Assert.Equal(40, verification.Records);
    }

    [Fact]
    public void A_peer_record_is_imported_once_after_its_signature_is_checked()
    {
        using var bobDir = new GraphDirectory();
        using var bobGraph = DecisionGraph.Open(bobDir.Path, _bob);
        var bobRecord = bobGraph.Append(GraphKit.Draft(1));
        using var graph = DecisionGraph.Open(_dir.Path, _alice);

        Assert.True(graph.ImportPeerRecord(bobRecord));
        Assert.False(graph.ImportPeerRecord(DecisionRecord.Decode(bobRecord.Bytes.Span)));

        var forged = bobRecord.Bytes.ToArray();
        forged[^1] ^= 1;
        Assert.Throws<DecisionGraphException>(() => graph.ImportPeerRecord(DecisionRecord.Decode(forged)));
        Assert.Throws<ArgumentException>(() => graph.ImportPeerRecord(graph.Append(GraphKit.Draft(1))));

        var snapshot = DecisionGraphFile.Read(_dir.Database);
        Assert.Equal(bobRecord.Hash, Assert.Single(snapshot.PeerRecords).Hash);
    }

    [Fact]
    public void A_disposed_graph_refuses_appends()
    {
        var graph = DecisionGraph.Open(_dir.Path, _alice);
        graph.Dispose();
        graph.Dispose();

        Assert.Throws<ObjectDisposedException>(() => graph.Append(GraphKit.Draft(1)));
    }
}
