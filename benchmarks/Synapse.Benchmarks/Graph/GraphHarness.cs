using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Benchmarks.Graph;

/// <summary>
/// Signed, durable decision-record appends per second, against baselines from the same run: inserting the same
/// record bytes into the same table with the same durability (WAL, synchronous=FULL, one commit per record) but no
/// encoding, hashing or signing; and the in-memory work alone (encode + hash + sign, and Ed25519 signing alone).
/// Then group commit: concurrent writers with <c>AppendAsync</c> (one transaction and one fsync per batch, each
/// acknowledged once its batch is on disk), and a flow's message rate recording nothing, recording with one commit
/// per transition (what the recorder did before group commit) and recording through the group-committing
/// <see cref="DecisionGraphRecorder"/> (its last records flushed to disk inside the measured time).
/// </summary>
internal static class GraphHarness
{
    public static void Run(TimeSpan duration)
    {
        var root = Directory.CreateTempSubdirectory("synapse-graph-bench-").FullName;
        try
        {
            using var identity = AgentIdentity.Generate();
            Console.WriteLine($"decision graph appends, {duration.TotalSeconds:0} s each, in {root}, {Environment.ProcessorCount} cores");
            Console.WriteLine($"{"operation",-66} {"per second",12} {"µs each",10}");

            // Warm up (JIT, file creation) outside the measurement.
            using (var warm = DecisionGraph.Open(Path.Combine(root, "warm"), identity))
            {
                for (var i = 0; i < 200; i++)
                {
                    warm.Append(Draft(i));
                }

                ConcurrentRate(warm, 16, TimeSpan.FromSeconds(0.5));
            }

            List<DecisionRecord> appended = [];
            using (var graph = DecisionGraph.Open(Path.Combine(root, "signed"), identity))
            {
                var n = 0;
                Print("Append, one writer: encode, hash, sign, INSERT + fsync each", PerSecond(() => appended.Add(graph.Append(Draft(n++))), duration));
            }

            var rows = appended.Select(r => (r.Sequence, Hash: r.Hash.Bytes.ToArray(), Record: r.Bytes.ToArray())).ToArray();
            Print("baseline: INSERT the same bytes + fsync per row, unsigned", InsertRate(Path.Combine(root, "unsigned"), rows, duration));

            foreach (var writers in new[] { 16, 64, 256 })
            {
                using var graph = DecisionGraph.Open(Path.Combine(root, $"group{writers}"), identity);
                Print($"AppendAsync, {writers} concurrent writers, group commit (durable)", ConcurrentRate(graph, writers, duration));
            }

            byte[] signed = [.. "synapse-decision-v1"u8, .. appended[0].Bytes[..^64].Span];
            var signature = new byte[64];
            Print($"Ed25519 sign alone ({signed.Length} B record), one thread", PerSecond(() => identity.Sign(signed, signature), duration));
            Print("Ed25519 verify alone", PerSecond(() => identity.Id.Verify(signed, signature), duration));

            var verifyStarted = Stopwatch.GetTimestamp();
            var verification = DecisionGraphVerifier.Verify(Path.Combine(root, "signed", DecisionGraph.FileName));
            var verifySeconds = Stopwatch.GetElapsedTime(verifyStarted).TotalSeconds;
            Print($"graph verify ({verification.Records:N0} records: decode, signature, chain)", verification.Records / verifySeconds);

            // A flow's message rate, recording every transition or nothing (one receiver, one transition per message).
            Print("flow messages handled, nothing recorded", FlowRate(null, null, duration));
            using (var graph = DecisionGraph.Open(Path.Combine(root, "flow-each"), identity))
            {
                Print("flow messages handled, each recorded, one commit each (before)", FlowRate(new CommitEachRecorder(graph), null, duration));
            }

            using (var graph = DecisionGraph.Open(Path.Combine(root, "flow"), identity))
            {
                var recorder = new DecisionGraphRecorder(graph);
                Print("flow messages handled, each recorded, group commit (durable)", FlowRate(recorder, recorder, duration));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Durable appends per second from <paramref name="writers"/> tasks, each awaiting its own append.</summary>
    private static double ConcurrentRate(DecisionGraph graph, int writers, TimeSpan duration)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        long n = 0;
        Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var i = writer * 10_000_000; Stopwatch.GetTimestamp() < stopAt; i++)
            {
                await graph.AppendAsync(Draft(i)).ConfigureAwait(false);
                Interlocked.Increment(ref n);
            }
        }))).GetAwaiter().GetResult();
        return n / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>What the recorder did before group commit: each transition waits for its own commit.</summary>
    private sealed class CommitEachRecorder(DecisionGraph graph) : Synapse.Flows.IFlowRecorder
    {
        public ReadOnlyMemory<byte> LatestHash => graph.LatestHash?.AsMemory() ?? default;

        public ValueTask RecordAsync(Synapse.Flows.FlowTransition transition, CancellationToken cancellationToken)
        {
            graph.Append(DecisionGraphRecorder.ToDraft(transition));
            return ValueTask.CompletedTask;
        }
    }

    private static double FlowRate(Synapse.Flows.IFlowRecorder? recorder, DecisionGraphRecorder? flushed, TimeSpan duration)
    {
        var ok = new Synapse.Flows.Signal([0], "ok", "ok");
        var flow = new Synapse.Flows.FlowDefinition<object>
        {
            Receivers =
            [
                new("Tick", Synapse.Flows.FlowRoute.Arrow([Synapse.Flows.StateNode.State("idle")], [], [Synapse.Flows.StateNode.State("idle")]), [],
                    (_, payload, _) => ValueTask.FromResult<Synapse.Flows.FlowEvent?>(Synapse.Flows.FlowEvent.Move(ok, payload))),
            ],
            Senders = [],
        };
        var runner = new Synapse.Flows.FlowRunner<object>(new object(), flow, (_, _) => ValueTask.CompletedTask,
            new Synapse.Flows.FlowRunnerOptions { States = new Synapse.Flows.FlowStates("idle"), Recorder = recorder, EventBridgeCapacity = int.MaxValue });
        var payload = new byte[64];
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        long n = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var handled = runner.HandleAsync(payload);
            if (!handled.IsCompletedSuccessfully)
            {
                handled.AsTask().GetAwaiter().GetResult();
            }

            n++;
        }

        // Counted only once every recorded transition is on disk.
        flushed?.FlushAsync().GetAwaiter().GetResult();
        return n / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static DecisionDraft Draft(int n) => new()
    {
        Route = "review/submit",
        StatesBefore = [$"doc{n % 16}:draft"],
        StatesAfter = [$"doc{n % 16}:review"],
        Trigger = "ok.match",
        Action = DecisionActions.Move,
        Data = BitConverter.GetBytes(n),
        CauseMessageId = Guid.NewGuid(),
    };

    /// <summary>The baseline: the same rows, the same table and pragmas, one autocommitted INSERT each.</summary>
    private static double InsertRate(string directory, (long Sequence, byte[] Hash, byte[] Record)[] rows, TimeSpan duration)
    {
        Directory.CreateDirectory(directory);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "plain.db")};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE records (seq INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, record BLOB NOT NULL);";
            setup.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO records (seq, hash, record) VALUES ($seq, $hash, $record)";
        var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var hash = insert.Parameters.Add("$hash", SqliteType.Blob);
        var record = insert.Parameters.Add("$record", SqliteType.Blob);
        var i = 0;
        return PerSecond(
            () =>
            {
                var row = rows[i++ % rows.Length];
                seq.Value = i;
                // The hash column is unique: past the rows appended above, reuse one with the row number in front.
                var unique = (byte[])row.Hash.Clone();
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(unique, i);
                hash.Value = unique;
                record.Value = row.Record;
                insert.ExecuteNonQuery();
            },
            duration);
    }

    private static double PerSecond(Action operation, TimeSpan duration)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        long n = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            operation();
            n++;
        }

        return n / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static void Print(string name, double perSecond) =>
        Console.WriteLine($"{name,-66} {perSecond,12:N0} {1_000_000 / perSecond,10:N1}");
}
