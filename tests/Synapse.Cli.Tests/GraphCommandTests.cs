using System.Text.Json;
using Microsoft.Data.Sqlite;
using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Cli.Tests;

/// <summary><c>synapse graph verify</c> and <c>synapse graph export</c>.</summary>
public sealed class GraphCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly AgentIdentity _alice = AgentIdentity.Generate();
    private readonly AgentIdentity _bob = AgentIdentity.Generate();

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _dir.Dispose();
    }

    private string AliceDb => Path.Combine(_dir.File("alice"), DecisionGraph.FileName);

    private string BobDb => Path.Combine(_dir.File("bob"), DecisionGraph.FileName);

    [Fact]
    public async Task Verify_prints_a_summary_and_exits_0_for_a_valid_graph()
    {
        WriteGraphs();

        var result = await Cli.RunAsync("graph", "verify", AliceDb, BobDb);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        Assert.Equal(
            $"{AliceDb}: {_alice.Id}, 3 records, 0 peer records\n{BobDb}: {_bob.Id}, 1 record, 0 peer records\n" +
            "agents: 2, records: 4, cross-links: 1 resolved, 0 unresolved\nvalid\n",
            result.Stdout);
    }

    [Fact]
    public async Task Verify_warns_about_links_it_cannot_resolve()
    {
        var (aliceLatest, _) = WriteGraphs();

        var result = await Cli.RunAsync("graph", "verify", BobDb);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("cross-links: 0 resolved, 1 unresolved", result.Stdout, StringComparison.Ordinal);
        Assert.Equal([$"synapse: warning: {BobDb}: record #1 of {_bob.Id}: links to {aliceLatest.Hash}, found in none of the graphs given"], result.ErrorLines);
    }

    [Fact]
    public async Task Verify_names_the_first_bad_record_and_exits_1()
    {
        WriteGraphs();
        using (var connection = new SqliteConnection($"Data Source={AliceDb};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT record FROM records WHERE seq = 2";
            var record = (byte[])command.ExecuteScalar()!;
            record[^1] ^= 0x80; // a bit of the signature
            command.CommandText = "UPDATE records SET record = $record WHERE seq = 2";
            command.Parameters.AddWithValue("$record", record);
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var result = await Cli.RunAsync("graph", "verify", AliceDb);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("agents: 1, records: 1,", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("valid", result.Stdout, StringComparison.Ordinal);
        Assert.Equal([$"synapse: {AliceDb}: record #2 of {_alice.Id}: bad signature"], result.ErrorLines);
    }

    [Fact]
    public async Task Verify_refuses_a_missing_file_as_a_usage_error()
    {
        var missing = _dir.File("nothing.db");

        var result = await Cli.RunAsync("graph", "verify", missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"synapse: cannot open '{missing}': file not found\n", result.Stderr);
    }

    [Fact]
    public async Task Verify_without_a_file_points_to_its_own_help()
    {
        var result = await Cli.RunAsync("graph", "verify");

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("(see 'synapse graph verify --help')\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_json_writes_every_record_with_hex_hashes()
    {
        var (aliceLatest, bobRecord) = WriteGraphs();

        var result = await Cli.RunAsync("graph", "export", BobDb, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var record = Assert.Single(json.RootElement.EnumerateArray().ToArray());
        Assert.Equal(_bob.Id.ToString(), record.GetProperty("agent").GetString());
        Assert.Equal(1, record.GetProperty("sequence").GetInt64());
        Assert.Equal(bobRecord.Hash.ToString(), record.GetProperty("hash").GetString());
        Assert.Equal(new string('0', 64), record.GetProperty("previous").GetString());
        Assert.Equal(aliceLatest.Hash.ToString(), record.GetProperty("causeHash").GetString());
        Assert.Equal(["x:start"], record.GetProperty("statesBefore").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Convert.ToHexStringLower(bobRecord.Signature.Span), record.GetProperty("signature").GetString());
        Assert.Equal(bobRecord.Timestamp, DateTimeOffset.Parse(record.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(record.GetProperty("imported").GetBoolean());
    }

    [Fact]
    public async Task Export_dot_draws_the_chain_and_dashed_cross_links()
    {
        WriteGraphs();
        var output = _dir.File("bob.dot");

        var alice = await Cli.RunAsync("graph", "export", AliceDb, "--format", "dot");
        var bob = await Cli.RunAsync("graph", "export", BobDb, "--format", "dot", "--out", output);

        Assert.Equal((0, 0), (alice.ExitCode, bob.ExitCode));
        Assert.StartsWith("digraph decisions {", alice.Stdout, StringComparison.Ordinal);
        Assert.Contains("  r1 -> r2;\n  r2 -> r3;\n", alice.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, alice.Stdout.Split("shape=box").Length - 1);
        Assert.Equal("", bob.Stdout);
        var dot = File.ReadAllText(output);
        Assert.Contains("u1 [shape=ellipse, style=dashed", dot, StringComparison.Ordinal);
        Assert.Contains("  u1 -> r1 [style=dashed];\n", dot, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_refuses_an_unknown_format()
    {
        WriteGraphs();

        var result = await Cli.RunAsync("graph", "export", AliceDb, "--format", "xml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("xml", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("(see 'synapse graph export --help')\n", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Alice makes three decisions; Bob makes one, caused by a message carrying Alice's latest hash.</summary>
    private (DecisionRecord AliceLatest, DecisionRecord Bob) WriteGraphs()
    {
        using var alice = DecisionGraph.Open(_dir.File("alice"), _alice);
        for (var i = 1; i <= 3; i++)
        {
            alice.Append(new DecisionDraft { Route = "plan", StatesBefore = [$"s{i - 1}"], StatesAfter = [$"s{i}"], Action = DecisionActions.Move });
        }

        using var bob = DecisionGraph.Open(_dir.File("bob"), _bob);
        var record = bob.Append(new DecisionDraft
        {
            Route = "review",
            StatesBefore = ["x:start"],
            StatesAfter = ["x:done"],
            Trigger = "ok",
            Action = DecisionActions.Move,
            CauseMessageId = Guid.NewGuid(),
            CauseHash = alice.LatestHash,
        });
        return (alice.Latest!, record);
    }
}
