using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Synapse.Flows;
using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Tests.Flows.Graph;

/// <summary>Group commit: concurrent appends share a transaction, each acknowledged once its batch is durable.</summary>
public sealed class GroupCommitTests : IDisposable
{
    private static readonly Signal Ok = new([0], "ok", "ok");
    private readonly GraphDirectory _dir = new();
    private readonly AgentIdentity _alice = AgentIdentity.Generate();

    public void Dispose()
    {
        _alice.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Concurrent_appends_each_return_their_record_once_it_is_on_disk()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _alice);

        var written = await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            var mine = new List<DecisionRecord>();
            for (var i = 0; i < 150; i++)
            {
                mine.Add(await graph.AppendAsync(GraphKit.Draft(writer * 1000 + i)));
            }

            return mine;
        })));

        // Each writer's records keep its order; together they are the whole chain, and each was durable when
        // returned: what a second reader of the file sees.
        Assert.All(written, mine => Assert.True(mine.Zip(mine.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence)));
        var stored = DecisionGraphFile.Read(_dir.Database).Records;
        Assert.Equal(1200, stored.Count);
        Assert.Equal(stored.Select(r => r.Hash), written.SelectMany(mine => mine).OrderBy(r => r.Sequence).Select(r => r.Hash));
        Assert.True(DecisionGraphVerifier.Verify(_dir.Database).IsValid);
        Assert.Equal(1200, graph.Latest?.Sequence);
    }

    [Fact]
    public async Task Synchronous_appends_committed_on_their_own_thread_and_queued_appends_make_one_chain()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _alice);

        // A lone synchronous append commits on its caller's thread while the writer is idle; the others queue.
        var lone = graph.Append(GraphKit.Draft(0));
        var synchronous = Enumerable.Range(0, 3).Select(writer => Task.Factory.StartNew(() =>
            Enumerable.Range(0, 100).Select(i => graph.Append(GraphKit.Draft(writer * 1000 + i))).ToList(), TaskCreationOptions.LongRunning));
        var queued = Enumerable.Range(3, 3).Select(writer => Task.Run(async () =>
        {
            var mine = new List<DecisionAppend>();
            for (var i = 0; i < 100; i++)
            {
                mine.Add(await graph.EnqueueAsync(GraphKit.Draft(writer * 1000 + i)));
            }

            return mine;
        }));
        var appended = (await Task.WhenAll(synchronous)).SelectMany(records => records.Select(r => r.Sequence)).ToList();
        foreach (var append in (await Task.WhenAll(queued)).SelectMany(mine => mine))
        {
            Assert.Equal(append.Sequence, (await append.Committed).Sequence);
            appended.Add(append.Sequence);
        }

        Assert.Equal(1, lone.Sequence);
        Assert.Equal(Enumerable.Range(2, 600).Select(i => (long)i), appended.Order());
        var verification = DecisionGraphVerifier.Verify(_dir.Database);
        Assert.True(verification.IsValid, verification.FirstError?.ToString());
        Assert.Equal(601, verification.Records);
    }

    [Fact]
    public async Task Enqueued_records_take_their_place_at_once_and_flush_waits_for_the_disk()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _alice);

        var appends = new List<DecisionAppend>();
        for (var i = 0; i < 500; i++)
        {
            appends.Add(await graph.EnqueueAsync(GraphKit.Draft(i)));
            Assert.Equal(appends[^1].Hash, graph.LatestHash); // what an outgoing message carries right away
        }

        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), appends.Select(a => a.Sequence));
        await graph.FlushAsync();
        Assert.All(appends, a => Assert.True(a.Committed.IsCompletedSuccessfully));
        Assert.Equal(500, graph.Latest?.Sequence);
        Assert.Equal(appends.Select(a => a.Hash), graph.Records().Select(r => r.Hash));
        Assert.Equal(appends[^1].Hash, (await appends[^1].Committed).Hash);
    }

    [Fact]
    public async Task Dispose_commits_the_records_still_waiting()
    {
        DecisionAppend last;
        using (var graph = DecisionGraph.Open(_dir.Path, _alice))
        {
            for (var i = 0; ; i++)
            {
                last = await graph.EnqueueAsync(GraphKit.Draft(i));
                if (i == 299)
                {
                    break;
                }
            }
        }

        Assert.True(last.Committed.IsCompletedSuccessfully);
        using var reopened = DecisionGraph.Open(_dir.Path, _alice);
        Assert.Equal(300, reopened.Latest?.Sequence);
        Assert.Equal(last.Hash, reopened.LatestHash);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await DisposedGraph().EnqueueAsync(GraphKit.Draft(1)));
    }

    [Fact]
    public async Task A_tiny_queue_applies_backpressure_without_losing_or_reordering_a_record()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _alice, new DecisionGraphOptions { MaxBatchRecords = 1, MaxPendingRecords = 2 });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await graph.EnqueueAsync(GraphKit.Draft(i));
            }
        })));
        await graph.FlushAsync();

        Assert.Equal(100, graph.Latest?.Sequence);
        Assert.True(DecisionGraphVerifier.Verify(_dir.Database).IsValid);
    }

    [Theory]
    [InlineData(0, 10, "MaxBatchRecords")]
    [InlineData(10, 9, "MaxPendingRecords")]
    public void Bounds_out_of_range_are_refused_by_name(int maxBatch, int maxPending, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            DecisionGraph.Open(_dir.Path, _alice, new DecisionGraphOptions { MaxBatchRecords = maxBatch, MaxPendingRecords = maxPending }));
        Assert.Equal(name, error.ParamName);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_commit_fails_its_records_and_every_later_append()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _alice);
        graph.Append(GraphKit.Draft(1));

        // Someone else takes the next sequence number behind the graph's back: the next commit breaks a constraint.
        using (var other = new SqliteConnection($"Data Source={_dir.Database};Pooling=False"))
        {
            other.Open();
            using var insert = other.CreateCommand();
            insert.CommandText = "INSERT INTO records (seq, hash, record) VALUES (2, x'00', x'00')";
            insert.ExecuteNonQuery();
        }

        var failed = await Assert.ThrowsAsync<DecisionGraphException>(async () => await graph.AppendAsync(GraphKit.Draft(2)));
        Assert.Contains("#2", failed.Message, StringComparison.Ordinal);
        Assert.Throws<DecisionGraphException>(() => graph.Append(GraphKit.Draft(3)));
        await Assert.ThrowsAsync<DecisionGraphException>(async () => await graph.EnqueueAsync(GraphKit.Draft(3)));
        await Assert.ThrowsAsync<DecisionGraphException>(() => graph.FlushAsync());
        var recorder = new DecisionGraphRecorder(graph);
        await Assert.ThrowsAsync<DecisionGraphException>(async () => await Runner(recorder).HandleAsync("x"));
        Assert.Equal(1, graph.Latest?.Sequence);
    }

    [Fact]
    public async Task The_graphs_health_check_is_healthy_while_it_records_and_names_why_once_it_cannot()
    {
        var graph = DecisionGraph.Open(_dir.Path, _alice);
        var check = new DecisionGraphHealthCheck(graph);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("decision-graph", check, HealthStatus.Unhealthy, null) };
        graph.Append(GraphKit.Draft(1));
        var recording = await check.CheckHealthAsync(context);
        using (var other = new SqliteConnection($"Data Source={_dir.Database};Pooling=False"))
        {
            other.Open();
            using var insert = other.CreateCommand();
            insert.CommandText = "INSERT INTO records (seq, hash, record) VALUES (2, x'00', x'00')";
            insert.ExecuteNonQuery();
        }

        await Assert.ThrowsAsync<DecisionGraphException>(async () => await graph.AppendAsync(GraphKit.Draft(2)));
        var failed = await check.CheckHealthAsync(context);
        graph.Dispose();
        var closed = await check.CheckHealthAsync(context);

        Assert.Equal((HealthStatus.Healthy, 1L), (recording.Status, recording.Data["latest_sequence"]));
        Assert.Equal(graph.Path, recording.Data["path"]);
        Assert.Equal(HealthStatus.Unhealthy, failed.Status);
        Assert.Contains("Committing records #2", failed.Description, StringComparison.Ordinal);
        Assert.Equal((HealthStatus.Unhealthy, "the graph is closed"), (closed.Status, closed.Description));
    }

    [Fact]
    public async Task A_recording_flow_goes_on_before_the_disk_and_its_records_keep_the_flows_order()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _alice);
        var recorder = new DecisionGraphRecorder(graph);
        var runner = Runner(recorder);

        for (var i = 0; i < 300; i++)
        {
            await runner.HandleAsync($"message {i}");
        }

        await recorder.FlushAsync();
        var records = graph.Records();
        Assert.Equal(300, records.Count);
        Assert.Equal(
            Enumerable.Range(0, 300).Select(i => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"message {i}")))),
            records.Select(r => Convert.ToHexString(r.DataDigest.Span)));
        Assert.Equal(records[^1].Hash.Bytes.ToArray(), recorder.LatestHash.ToArray());
    }

    [Fact]
    public void A_prepared_record_signs_to_the_record_sign_makes_and_only_for_its_agent()
    {
        var timestamp = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var prepared = DecisionRecord.Prepare(_alice.Id, GraphKit.Draft(1), 1, DecisionHash.Zero, timestamp);
        var signed = DecisionRecord.Sign(_alice, GraphKit.Draft(1), 1, DecisionHash.Zero, timestamp);

        Assert.Equal(signed.Hash, prepared.Hash);
        Assert.Equal(signed.Bytes.ToArray(), prepared.Sign(_alice).Bytes.ToArray());
        using var bob = AgentIdentity.Generate();
        Assert.Throws<ArgumentException>(() => prepared.Sign(bob));
    }

    private DecisionGraph DisposedGraph()
    {
        using var dir = new GraphDirectory();
        var graph = DecisionGraph.Open(dir.Path, _alice);
        graph.Dispose();
        return graph;
    }

    private static FlowRunner<object> Runner(IFlowRecorder recorder)
    {
        var flow = new FlowDefinition<object>
        {
            Receivers =
            [
                new FlowReceiver<object>("tick", FlowRoute.Arrow([StateNode.State("idle")], [], [StateNode.State("idle")]), [],
                    (_, payload, _) => ValueTask.FromResult<FlowEvent?>(FlowEvent.Move(Ok, payload))),
            ],
            Senders = [],
        };
        return new FlowRunner<object>(new object(), flow, (_, _) => ValueTask.CompletedTask, new FlowRunnerOptions { Recorder = recorder, States = new FlowStates("idle") });
    }
}
