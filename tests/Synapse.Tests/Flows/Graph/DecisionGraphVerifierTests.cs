using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Tests.Flows.Graph;

/// <summary>Verification of one graph: signatures, the chain, and tampering with the stored bytes.</summary>
public sealed class DecisionGraphVerifierTests : IDisposable
{
    private readonly GraphDirectory _dir = new();
    private readonly AgentIdentity _alice = AgentIdentity.Generate();

    public void Dispose()
    {
        _alice.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void An_untouched_graph_verifies()
    {
        WriteGraph(4);

        var result = DecisionGraphVerifier.Verify(_dir.Database);

        Assert.True(result.IsValid, result.FirstError?.ToString());
        Assert.Null(result.FirstError);
        Assert.Equal(1, result.Agents);
        Assert.Equal(4, result.Records);
        Assert.Equal(new DecisionGraphSummary(_dir.Database, _alice.Id, 4, 0), Assert.Single(result.Graphs));
    }

    [Fact]
    public void Flipping_any_bit_of_any_stored_record_is_detected_and_names_the_record()
    {
        var records = WriteGraph(3);

        foreach (var record in records)
        {
            var original = GraphKit.StoredRecord(_dir.Database, record.Sequence);
            for (var i = 0; i < original.Length; i++)
            {
                var tampered = (byte[])original.Clone();
                tampered[i] ^= (byte)(1 << (i % 8));
                GraphKit.Sql(_dir.Database, "UPDATE records SET record = $r WHERE seq = $s", ("$r", tampered), ("$s", record.Sequence));

                var error = DecisionGraphVerifier.Verify(_dir.Database).FirstError;

                Assert.True(error is not null, $"flipping byte {i} of record #{record.Sequence} went unnoticed");
                Assert.Equal(record.Sequence, error.Sequence);
                Assert.Equal(_alice.Id, error.Agent);
                Assert.Contains($"record #{record.Sequence} of {_alice.Id}", error.Message, StringComparison.Ordinal);
            }

            GraphKit.Sql(_dir.Database, "UPDATE records SET record = $r WHERE seq = $s", ("$r", original), ("$s", record.Sequence));
        }

        Assert.True(DecisionGraphVerifier.Verify(_dir.Database).IsValid);
    }

    [Fact]
    public void Flipping_any_byte_of_record_data_in_the_database_file_is_detected()
    {
        var records = WriteGraph(3);
        var file = File.ReadAllBytes(_dir.Database); // the graph is closed: everything is checkpointed into the file
        Assert.False(File.Exists(_dir.Database + "-wal"));

        // Every place in the file that holds record data: the record blobs, and every copy of each hash (the hash
        // column, its index, and the next record's previous-hash field).
        var ranges = new List<(int Start, int Length, long Sequence)>();
        foreach (var record in records)
        {
            ranges.AddRange(Occurrences(file, record.Bytes.ToArray()).Select(at => (at, record.Bytes.Length, record.Sequence)));
            ranges.AddRange(Occurrences(file, record.Hash.Bytes.ToArray()).Select(at => (at, 32, record.Sequence)));
        }

        Assert.Equal(3, ranges.Count(r => r.Length > 32));
        foreach (var (start, length, sequence) in ranges)
        {
            for (var i = start; i < start + length; i++)
            {
                var tampered = (byte[])file.Clone();
                tampered[i] ^= 0x20;
                File.WriteAllBytes(_dir.Database, tampered);

                var result = DecisionGraphVerifier.Verify(_dir.Database);

                Assert.False(result.IsValid, $"flipping file byte {i} (record #{sequence} data) went unnoticed");
                var error = result.FirstError!;
                Assert.True(error.Kind == DecisionProblemKind.Unreadable || error.Sequence is not null, error.ToString());
            }
        }

        File.WriteAllBytes(_dir.Database, file);
        Assert.True(DecisionGraphVerifier.Verify(_dir.Database).IsValid);
    }

    [Fact]
    public void A_deleted_record_breaks_the_chain()
    {
        WriteGraph(4);
        GraphKit.Sql(_dir.Database, "DELETE FROM records WHERE seq = 2");

        var error = DecisionGraphVerifier.Verify(_dir.Database).FirstError!;

        Assert.Equal(DecisionProblemKind.SequenceGap, error.Kind);
        Assert.Equal(3, error.Sequence);
        Assert.Equal($"record #3 of {_alice.Id}: broken chain: expected #2 after #1", error.Message);
    }

    [Fact]
    public void Reordered_records_are_detected()
    {
        WriteGraph(4);
        // Swap the contents of rows 2 and 3 (record and hash), keeping the sequence column.
        GraphKit.Sql(_dir.Database, """
            UPDATE records SET seq = -2 WHERE seq = 2;
            UPDATE records SET seq = 2 WHERE seq = 3;
            UPDATE records SET seq = 3 WHERE seq = -2;
            """);

        var error = DecisionGraphVerifier.Verify(_dir.Database).FirstError!;

        Assert.Equal(DecisionProblemKind.SequenceMismatch, error.Kind);
        Assert.Equal(2, error.Sequence);
    }

    [Fact]
    public void Renumbered_records_are_detected()
    {
        WriteGraph(3);
        GraphKit.Sql(_dir.Database, "UPDATE records SET seq = seq + 10 WHERE seq >= 2");

        var error = DecisionGraphVerifier.Verify(_dir.Database).FirstError!;

        Assert.Equal(DecisionProblemKind.SequenceMismatch, error.Kind);
        Assert.Equal(12, error.Sequence);
    }

    [Fact]
    public void A_hash_column_that_disagrees_with_its_record_is_tampering()
    {
        WriteGraph(3);
        GraphKit.Sql(_dir.Database, "UPDATE records SET hash = zeroblob(32) WHERE seq = 2");

        var error = DecisionGraphVerifier.Verify(_dir.Database).FirstError!;

        Assert.Equal(DecisionProblemKind.HashMismatch, error.Kind);
        Assert.Equal(2, error.Sequence);
    }

    [Fact]
    public void A_record_replaced_by_a_validly_signed_one_breaks_the_chain()
    {
        WriteGraph(3);
        using var otherDir = new GraphDirectory();
        using (var other = DecisionGraph.Open(otherDir.Path, _alice))
        {
            DecisionRecord[] forks = [other.Append(new DecisionDraft { Route = "fork", Action = DecisionActions.Move }), other.Append(new DecisionDraft { Route = "fork", Action = DecisionActions.Move })];
            var replacement = other.Append(new DecisionDraft { Route = "elsewhere", Action = DecisionActions.Stay });
            GraphKit.Sql(_dir.Database, "UPDATE records SET record = $r, hash = $h WHERE seq = 3", ("$r", replacement.Bytes.ToArray()), ("$h", replacement.Hash.Bytes.ToArray()));
            Assert.Equal(3, replacement.Sequence);
            Assert.NotEqual(forks[^1].Hash, replacement.Hash);
        }

        var error = DecisionGraphVerifier.Verify(_dir.Database).FirstError!;

        Assert.Equal(DecisionProblemKind.PreviousMismatch, error.Kind);
        Assert.Equal(3, error.Sequence);
    }

    [Fact]
    public void A_record_of_another_agent_in_the_chain_is_named()
    {
        WriteGraph(2);
        using var mallory = AgentIdentity.Generate();
        using var otherDir = new GraphDirectory();
        using var other = DecisionGraph.Open(otherDir.Path, mallory);
        var foreign = GraphKit.Fill(other, 3)[^1];
        GraphKit.Sql(_dir.Database, "INSERT INTO records (seq, hash, record) VALUES (3, $h, $r)", ("$r", foreign.Bytes.ToArray()), ("$h", foreign.Hash.Bytes.ToArray()));

        var error = DecisionGraphVerifier.Verify(_dir.Database).FirstError!;

        Assert.Equal(DecisionProblemKind.WrongAgent, error.Kind);
        Assert.Equal(3, error.Sequence);
    }

    [Fact]
    public void A_missing_or_foreign_file_is_unreadable()
    {
        var missing = DecisionGraphVerifier.Verify(_dir.Database).FirstError!;
        Assert.Equal(DecisionProblemKind.Unreadable, missing.Kind);

        File.WriteAllText(_dir.Database, string.Concat(Enumerable.Repeat("not a database ", 600)));
        var garbage = DecisionGraphVerifier.Verify(_dir.Database).FirstError!;
        Assert.Equal(DecisionProblemKind.Unreadable, garbage.Kind);
        Assert.Contains("cannot read the graph", garbage.Message, StringComparison.Ordinal);
    }

    private List<DecisionRecord> WriteGraph(int count)
    {
        using var graph = DecisionGraph.Open(_dir.Path, _alice);
        return GraphKit.Fill(graph, count);
    }

    private static IEnumerable<int> Occurrences(byte[] haystack, byte[] needle)
    {
        for (var at = haystack.AsSpan().IndexOf(needle); at >= 0;)
        {
            yield return at;
            var next = haystack.AsSpan(at + 1).IndexOf(needle);
            at = next < 0 ? -1 : at + 1 + next;
        }
    }
}
