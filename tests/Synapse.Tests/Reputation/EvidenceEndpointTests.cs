using Synapse.Hosting;
using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Reputation;
using Synapse.Rpc;
using Synapse.Tests.Rpc;

namespace Synapse.Tests.Reputation;

/// <summary><c>_agent.evidence</c> on a real host and <c>FetchEvidenceAsync</c> against it.</summary>
public sealed class EvidenceEndpointTests : IDisposable
{
    private readonly EvidenceScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public async Task Fetched_evidence_rescores_to_the_holders_score()
    {
        await using var host = await TestHost.StartAsync(o => o.ReputationBook = _scenario.Book);
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        FetchedEvidence fetched = await client.FetchEvidenceAsync(_scenario.Subject.Id);

        ReputationScore held = _scenario.Book.Score(_scenario.Subject.Id, _scenario.Options);
        ReputationScore recomputed = fetched.Score(_scenario.Options);
        Assert.Equal((held.Value, held.Alpha, held.Beta), (recomputed.Value, recomputed.Alpha, recomputed.Beta));
        Assert.Equal(held.Evidence, recomputed.Evidence);
        Assert.Equal(held.Rejected, recomputed.Rejected);
        Assert.Equal((3, 1, 0, 1), (recomputed.Successes, recomputed.Failures, recomputed.Timeouts, recomputed.Quarantines));
        Assert.Contains(new RejectedEvidence(_scenario.Uncited.Hash, "uncited"), recomputed.Rejected);
        Assert.Contains(recomputed.Rejected, r => r.Reason == "untrusted_relay");
        Assert.False(fetched.Truncated);
        Assert.Equal(_scenario.Book.Evidence(_scenario.Subject.Id).Count, fetched.Available);
        Assert.Equal(fetched.Available, fetched.Evidence.Count);
        Assert.Equal(host.Host.Identity.Id, fetched.Source);
    }

    [Fact]
    public async Task Concurrent_fetches_are_answered_one_at_a_time_a_few_wait_and_the_rest_are_told_the_server_is_busy()
    {
        await using var host = await TestHost.StartAsync(o => o.ReputationBook = _scenario.Book);
        await using var client = new SynapseClient("127.0.0.1", host.Port);
        var endpoint = host.Host.Service<EvidenceEndpoint>()!;
        using var gate = new ManualResetEventSlim();
        int running = 0, mostAtOnce = 0, started = 0;
        endpoint.BeforeAnswer = () =>
        {
            Interlocked.Increment(ref started);
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            gate.Wait(TimeSpan.FromSeconds(30));
            Interlocked.Decrement(ref running);
        };

        // One answering (held at the gate) and MaxWaiting waiting: the next caller is refused at once.
        var admitted = Enumerable.Range(0, EvidenceEndpoint.MaxWaiting + 1).Select(_ => client.FetchEvidenceAsync(_scenario.Subject.Id)).ToList();
        await Synapse.Tests.Relay.RelayTestKit.EventuallyAsync(() => Volatile.Read(ref started) == 1, "the first answer starts");
        await Task.Delay(200); // the others reach the host and queue
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.FetchEvidenceAsync(_scenario.Subject.Id));
        Assert.StartsWith(RpcProtocol.ServerBusyPrefix, refused.Message, StringComparison.Ordinal);

        gate.Set();
        FetchedEvidence[] all = await Task.WhenAll(admitted).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, mostAtOnce);
        Assert.Equal(EvidenceEndpoint.MaxWaiting + 1, started);
        Assert.All(all, fetched => Assert.Equal(fetched.Available, fetched.Evidence.Count));
        Assert.Single(all.Select(f => f.Score(_scenario.Options).Value).Distinct());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [Fact]
    public async Task Tampered_evidence_is_refused_when_scored_locally()
    {
        await using var host = await TestHost.StartAsync(o => o.ReputationBook = _scenario.Book);
        await using var client = new SynapseClient("127.0.0.1", host.Port);
        FetchedEvidence fetched = await client.FetchEvidenceAsync(_scenario.Subject.Id);

        ReputationReport success = fetched.Evidence.Reports.First(r => r.Kind == ReputationReportKind.Success);
        byte[] bytes = success.Encoded.ToArray();
        bytes[^1] ^= 1;
        ReputationReport forged = ReputationReport.Decode(bytes);
        var tampered = new EvidenceSet();
        foreach (var record in fetched.Evidence.Records)
        {
            tampered.Add(record);
        }

        foreach (var report in fetched.Evidence.Reports)
        {
            tampered.Add(report == success ? forged : report);
        }

        foreach (var attestation in fetched.Evidence.Quarantines)
        {
            tampered.Add(attestation);
        }

        ReputationScore score = (fetched with { Evidence = EvidenceSet.Decode(tampered.Encode()) }).Score(_scenario.Options);
        Assert.Contains(new RejectedEvidence(forged.Hash, "bad_signature"), score.Rejected);
        Assert.Equal(2, score.Successes);
        Assert.DoesNotContain(forged.Hash, score.Evidence);
        Assert.True(score.Value < fetched.Score(_scenario.Options).Value);
        Assert.Equal(tampered.Count - 1, new ReputationBook().Import(tampered));
    }

    [Theory]
    [InlineData("[]", "_agent.evidence: missing argument 'subject': the agent id (did:key:z…) to fetch the evidence about")]
    [InlineData("[42]", "_agent.evidence: the subject must be an agent id string (did:key:z…), not integer")]
    [InlineData("[null]", "_agent.evidence: the subject must be an agent id string (did:key:z…), not nil")]
    [InlineData("[\"did:key:nope\"]", "_agent.evidence: the subject 'did:key:nope' is not an agent id: ")]
    [InlineData("[\"a\", \"b\"]", "_agent.evidence: takes one argument, 'subject'; got 2")]
    public async Task A_bad_subject_is_a_bad_request_naming_what_is_wrong(string args, string expected)
    {
        await using var host = await TestHost.StartAsync(o => o.ReputationBook = _scenario.Book);
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("_agent.evidence", MsgPackValue.ParseJson(args).AsArray()));

        Assert.Equal(RpcErrorCodes.BadRequest, error.Code);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("pong", await client.PingAsync());
    }

    [Fact]
    public async Task The_subject_may_be_passed_by_keyword()
    {
        await using var host = await TestHost.StartAsync(o => o.ReputationBook = _scenario.Book);
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        var result = await client.CallAsync("_agent.evidence", kwargs: new Dictionary<string, MsgPackValue> { ["subject"] = _scenario.Subject.Id.ToString() });

        Assert.Equal(_scenario.Subject.Id.ToString(), result["subject"]!.AsString());
        Assert.Equal(result["available"]!.AsInt64(), EvidenceSet.Decode(result["evidence"]!.AsBinary()).Count);
    }

    [Fact]
    public async Task A_host_without_a_book_does_not_serve_evidence()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.FetchEvidenceAsync(_scenario.Subject.Id));

        Assert.Equal(RpcErrorCodes.BadRequest, error.Code);
        Assert.Equal("Unregistered endpoint called: _agent.evidence", error.Message);
    }

    [Fact]
    public async Task Over_the_frame_limit_the_answer_is_the_documented_prefix_marked_truncated()
    {
        const int frameLimit = 4096;
        await using var host = await TestHost.StartAsync(o =>
        {
            o.MaxFrameSize = frameLimit;
            o.ReputationBook = _scenario.Book;
        });
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        FetchedEvidence fetched = await client.FetchEvidenceAsync(_scenario.Subject.Id);

        EvidenceSet all = _scenario.Book.Evidence(_scenario.Subject.Id);
        Assert.True(all.Encode().Length > frameLimit);
        Assert.True(fetched.Truncated);
        Assert.Equal(all.Count, fetched.Available);
        Assert.InRange(fetched.Evidence.Count, 1, all.Count - 1);
        Assert.True(fetched.Evidence.Encode().Length <= frameLimit - 256);
        Assert.Equal(2, fetched.Evidence.Quarantines.Count); // the first group in the order
        Assert.Equal(
            Hashes(all.Fit(_scenario.Subject.Id, fetched.Evidence.Encode().Length + 12)),
            Hashes(fetched.Evidence));
        _ = fetched.Score(_scenario.Options);
    }

    private static string[] Hashes(EvidenceSet set) =>
        [.. set.Records.Select(r => r.Hash.ToString()).Concat(set.Reports.Select(r => r.Hash.ToString())).Concat(set.Quarantines.Select(q => q.Hash.ToString())).Order(StringComparer.Ordinal)];
}
