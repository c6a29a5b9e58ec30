using System.Text.Json;
using System.Text.RegularExpressions;
using Synapse.Reputation;

namespace Synapse.Cli.Tests;

/// <summary><c>synapse reputation</c> against a real host serving <c>_agent.evidence</c>, and offline from a file.</summary>
public sealed class ReputationCommandTests : IAsyncLifetime
{
    private const string AsOf = "2026-06-01T12:00:00Z"; // ReputationKit.Now

    private readonly EvidenceScenario _scenario = new();
    private readonly TempDirectory _directory = new();
    private TestNode _node = null!;

    private string Subject => _scenario.Subject.Id.ToString();

    private string TrustedRelay => _scenario.TrustedRelay.Id.ToString();

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(options => options.ReputationBook = _scenario.Book);

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _directory.Dispose();
        _scenario.Dispose();
    }

    [Fact]
    public async Task Text_output_shows_the_recomputed_score_counts_and_refused_items()
    {
        var result = await Cli.RunAsync("reputation", Subject, "--from", _node.Address, "--as-of", AsOf, "--trusted-relay", TrustedRelay);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        ReputationScore expected = _scenario.Book.Score(_scenario.Subject.Id, _scenario.Options);
        var lines = result.Stdout.Split('\n').Select(line => Regex.Replace(line.Trim(), " {2,}", " ")).ToArray();
        Assert.Equal($"reputation of {Subject}", lines[0]);
        Assert.Contains($"score {expected.Value:0.000000}", lines);
        Assert.Contains("successes 3", lines);
        Assert.Contains("failures 1", lines);
        Assert.Contains("quarantines 1", lines);
        Assert.Contains($"as of {AsOf}", lines);
        int items = _scenario.Book.Evidence(_scenario.Subject.Id).Count;
        Assert.Contains($"evidence {items} items from {_node.Address} ({_node.Host.Identity.Id}), {expected.Evidence.Count} used", lines);
        Assert.Contains("rejected 2", lines);
        Assert.Contains($"uncited {_scenario.Uncited.Hash}", lines);
        Assert.Contains(lines, line => line.StartsWith("untrusted_relay ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_output_matches_the_holders_score_and_names_the_options()
    {
        var result = await Cli.RunAsync("reputation", Subject, "--from", _node.Address, "--as-of", AsOf, "--trusted-relay", TrustedRelay, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        ReputationScore expected = _scenario.Book.Score(_scenario.Subject.Id, _scenario.Options);
        Assert.Equal(Subject, root.GetProperty("agent").GetString());
        Assert.Equal(expected.Value, root.GetProperty("score").GetDouble());
        Assert.Equal(expected.Beta, root.GetProperty("beta").GetDouble());
        Assert.Equal(expected.Evidence.Select(h => h.ToString()), root.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(expected.Rejected.Select(r => (r.Hash.ToString(), r.Reason)), root.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("hash").GetString()!, r.GetProperty("reason").GetString()!)));
        var options = root.GetProperty("options");
        Assert.Equal(AsOf, options.GetProperty("as_of").GetString());
        Assert.Equal([TrustedRelay], options.GetProperty("trusted_relays").EnumerateArray().Select(e => e.GetString()));
        var source = root.GetProperty("source");
        Assert.Equal(_node.Address, source.GetProperty("node").GetString());
        Assert.Equal(JsonValueKind.Null, source.GetProperty("file").ValueKind);
        Assert.False(source.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Saved_evidence_scores_the_same_offline_and_a_tampered_file_gets_refused_items()
    {
        var saved = _directory.File("evidence.bin");
        var fetched = await Cli.RunAsync("reputation", Subject, "--from", _node.Address, "--as-of", AsOf, "--trusted-relay", TrustedRelay, "--json", "--save", saved);
        Assert.Equal(0, fetched.ExitCode);
        Assert.Matches(@"^synapse: saved \d+ evidence items to ", fetched.Stderr);

        var offline = await Cli.RunAsync("reputation", Subject, "--evidence-file", saved, "--as-of", AsOf, "--trusted-relay", TrustedRelay, "--json");
        Assert.Equal(0, offline.ExitCode);
        Assert.Equal("", offline.Stderr);
        Assert.Equal(Without(fetched.Stdout, "source"), Without(offline.Stdout, "source"));

        // Flip a bit in the signature of a success report (the last bytes of its stored form).
        byte[] bytes = File.ReadAllBytes(saved);
        ReputationReport success = EvidenceSet.Decode(bytes).Reports.First(r => r.Kind == ReputationReportKind.Success);
        int at = IndexOf(bytes, success.Encoded.ToArray()) + success.Encoded.Length - 1;
        bytes[at] ^= 1;
        var tampered = _directory.File("tampered.bin");
        File.WriteAllBytes(tampered, bytes);

        var result = await Cli.RunAsync("reputation", Subject, "--evidence-file", tampered, "--as-of", AsOf, "--trusted-relay", TrustedRelay, "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("successes").GetInt32());
        Assert.Contains(json.RootElement.GetProperty("rejected").EnumerateArray(), r => r.GetProperty("reason").GetString() == "bad_signature");
        Assert.Equal(tampered, json.RootElement.GetProperty("source").GetProperty("file").GetString());
    }

    [Fact]
    public async Task Evidence_cut_to_fit_one_response_is_noted_on_stderr_and_scored_as_received()
    {
        await using var small = await TestNode.StartAsync(options =>
        {
            options.ReputationBook = _scenario.Book;
            options.MaxFrameSize = 4096;
        });

        var result = await Cli.RunAsync("reputation", Subject, "--from", small.Address, "--as-of", AsOf, "--json");

        Assert.Equal(0, result.ExitCode);
        int available = _scenario.Book.Evidence(_scenario.Subject.Id).Count;
        var note = Assert.Single(result.ErrorLines);
        Assert.Matches($@"^synapse: note: {Regex.Escape(small.Address)} cut the evidence to fit one response: \d+ of {available} items; the score counts only what was received$", note);
        using var json = JsonDocument.Parse(result.Stdout);
        var source = json.RootElement.GetProperty("source");
        Assert.True(source.GetProperty("truncated").GetBoolean());
        Assert.Equal(available, source.GetProperty("available").GetInt32());
        Assert.InRange(source.GetProperty("items").GetInt32(), 1, available - 1);
    }

    [Fact]
    public async Task A_node_without_a_book_is_one_line_and_exit_1()
    {
        await using var bare = await TestNode.StartAsync();

        var result = await Cli.RunAsync("reputation", Subject, "--from", bare.Address);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"synapse: {bare.Address} serves no reputation evidence (_agent.evidence is not registered there)\n", result.Stderr);
    }

    [Fact]
    public async Task A_file_that_is_not_an_evidence_set_is_exit_1_and_a_missing_one_exit_2()
    {
        var junk = _directory.File("junk.bin");
        File.WriteAllBytes(junk, [0x93, 1, 2, 3]);

        var malformed = await Cli.RunAsync("reputation", Subject, "--evidence-file", junk);
        var missing = await Cli.RunAsync("reputation", Subject, "--evidence-file", _directory.File("nope.bin"));

        Assert.Equal(1, malformed.ExitCode);
        Assert.StartsWith($"synapse: evidence file '{junk}' is not an evidence set: malformed evidence set", malformed.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal($"synapse: cannot open evidence file '{_directory.File("nope.bin")}': file not found\n", missing.Stderr);
    }

    [Theory]
    [InlineData("--from", "127.0.0.1:1", "--evidence-file", "x", "synapse: --from and --evidence-file exclude each other")]
    [InlineData("--evidence-file", "x", "--save", "y", "synapse: --save needs --from HOST:PORT (it saves fetched evidence)")]
    [InlineData("--from", "127.0.0.1:1", "--as-of", "yesterday", "synapse: --as-of must be an ISO 8601 time such as 2026-06-01T12:00:00Z, not 'yesterday'")]
    [InlineData("--from", "127.0.0.1:1", "--anchor", "bob", "synapse: invalid agent id 'bob' in --anchor: ")]
    [InlineData("--from", "nohost", "--as-of", "2026-06-01", "synapse: invalid address 'nohost': expected HOST:PORT, e.g. 127.0.0.1:9999")]
    public async Task Mistakes_are_one_line_and_exit_2(string option1, string value1, string option2, string value2, string expected)
    {
        var result = await Cli.RunAsync("reputation", Subject, option1, value1, option2, value2);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.StartsWith(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.ErrorLines);
    }

    [Fact]
    public async Task A_bad_agent_id_or_no_source_is_exit_2()
    {
        var badId = await Cli.RunAsync("reputation", "alice", "--from", _node.Address);
        var noSource = await Cli.RunAsync("reputation", Subject);

        Assert.Equal(2, badId.ExitCode);
        Assert.StartsWith("synapse: invalid agent id 'alice' in AGENT-ID: ", badId.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, noSource.ExitCode);
        Assert.Equal("synapse: give --from HOST:PORT to fetch the evidence, or --evidence-file FILE to read saved evidence\n", noSource.Stderr);
    }

    /// <summary>The JSON text without one top-level property (the part that names where the evidence came from).</summary>
    private static string Without(string json, string property)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement.EnumerateObject().Where(p => p.Name != property).ToDictionary(p => p.Name, p => p.Value.GetRawText()));
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        int at = haystack.AsSpan().IndexOf(needle);
        return at >= 0 ? at : throw new InvalidOperationException("the report is not in the file");
    }
}
