using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Tests.Flows.Graph;

/// <summary>Links between two agents' graphs: a message carries the sender's latest hash into the receiver's record.</summary>
public sealed class CrossLinkTests : IDisposable
{
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
    public void Links_resolve_when_both_graphs_are_verified_together()
    {
        var (_, aliceLatest) = WriteLinkedGraphs();

        var result = DecisionGraphVerifier.Verify([_aliceDir.Database, _bobDir.Database]);

        Assert.True(result.IsValid, result.FirstError?.ToString());
        Assert.Equal(2, result.Agents);
        Assert.Equal(4, result.Records);
        Assert.Equal(2, result.ResolvedLinks);
        Assert.Equal(0, result.UnresolvedLinks);
        Assert.Empty(result.Warnings);
        Assert.NotNull(aliceLatest);
    }

    [Fact]
    public void Links_are_unresolved_warnings_when_the_peer_graph_is_missing()
    {
        var (aliceFirst, aliceLatest) = WriteLinkedGraphs();

        var result = DecisionGraphVerifier.Verify(_bobDir.Database);

        Assert.True(result.IsValid); // a warning, not an error
        Assert.Equal(0, result.ResolvedLinks);
        Assert.Equal(2, result.UnresolvedLinks);
        Assert.All(result.Warnings, w => Assert.Equal(DecisionProblemKind.UnresolvedLink, w.Kind));
        Assert.Equal(
            [$"record #1 of {_bob.Id}: links to {aliceLatest.Hash}, found in none of the graphs given", $"record #1 of {_bob.Id}: links to {aliceFirst.Hash}, found in none of the graphs given"],
            result.Warnings.Select(w => w.Message));
    }

    [Fact]
    public void An_imported_peer_record_resolves_the_link_from_the_receivers_graph_alone()
    {
        var (_, aliceLatest) = WriteLinkedGraphs();
        using (var bob = DecisionGraph.Open(_bobDir.Path, _bob))
        {
            bob.ImportPeerRecord(aliceLatest);
        }

        var result = DecisionGraphVerifier.Verify(_bobDir.Database);

        Assert.True(result.IsValid);
        Assert.Equal(1, result.ResolvedLinks);
        Assert.Equal(1, result.UnresolvedLinks);
        Assert.Equal(1, Assert.Single(result.Graphs).PeerRecords);
    }

    [Fact]
    public void A_forked_chain_is_a_conflict_across_graphs()
    {
        var (_, aliceLatest) = WriteLinkedGraphs();
        // Alice signs a different record #2 elsewhere and shows it to Bob.
        using var forkDir = new GraphDirectory();
        DecisionRecord fork;
        using (var forked = DecisionGraph.Open(forkDir.Path, _alice))
        {
            forked.Append(new DecisionDraft { Route = "fork", Action = DecisionActions.Move });
            fork = forked.Append(new DecisionDraft { Route = "fork", Action = DecisionActions.Move });
        }

        using (var bob = DecisionGraph.Open(_bobDir.Path, _bob))
        {
            bob.ImportPeerRecord(fork);
        }

        var result = DecisionGraphVerifier.Verify([_aliceDir.Database, _bobDir.Database]);

        var error = Assert.Single(result.Errors);
        Assert.Equal(DecisionProblemKind.Conflict, error.Kind);
        Assert.Equal(2, error.Sequence);
        Assert.Equal(_alice.Id, error.Agent);
        Assert.Contains(aliceLatest.Hash.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tampered_peer_record_is_an_error()
    {
        var (_, aliceLatest) = WriteLinkedGraphs();
        using (var bob = DecisionGraph.Open(_bobDir.Path, _bob))
        {
            bob.ImportPeerRecord(aliceLatest);
        }

        var tampered = aliceLatest.Bytes.ToArray();
        tampered[^3] ^= 1;
        GraphKit.Sql(_bobDir.Database, "UPDATE peer_records SET record = $r", ("$r", tampered));

        var error = DecisionGraphVerifier.Verify(_bobDir.Database).FirstError!;

        Assert.Equal(DecisionProblemKind.BadPeerRecord, error.Kind);
        Assert.Equal($"peer record #2 of {_alice.Id}: bad signature", error.Message);
    }

    /// <summary>Alice makes two decisions and messages Bob; Bob's decision links to both of hers.</summary>
    private (DecisionRecord AliceFirst, DecisionRecord AliceLatest) WriteLinkedGraphs()
    {
        using var alice = DecisionGraph.Open(_aliceDir.Path, _alice);
        var first = alice.Append(GraphKit.Draft(1));
        var latest = alice.Append(GraphKit.Draft(2));
        using var bob = DecisionGraph.Open(_bobDir.Path, _bob);
        bob.Append(GraphKit.Draft(1, cause: alice.LatestHash, first.Hash));
        bob.Append(GraphKit.Draft(2));
        return (first, latest);
    }
}
