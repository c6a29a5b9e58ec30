using System.Diagnostics;
using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Tests.Flows.Graph;

/// <summary>
/// Kills an agent process (tests/Synapse.Graph.CrashAgent) in the middle of its work, again and again, under group
/// commit: every record it acknowledged (its batch committed) is still there with the hash it acknowledged, the graph
/// verifies, and the restarted agent resumes from its last durable state.
/// </summary>
public sealed class GraphCrashTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly GraphDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_killed_agent_loses_no_acknowledged_record_and_resumes_from_its_last_state()
    {
        var seed = RandomSeed();
        long stored = 0;
        for (var round = 0; round < 5; round++)
        {
            using var agent = Start(Convert.ToHexString(seed), "flow");
            using var timeout = new CancellationTokenSource(Patience);

            // The restarted agent's flow resumes from the newest record on disk, in the state that record moved to
            // (its flow goes round a -> b -> c -> a, one record per message).
            Assert.Equal($"resume {stored} {"abc"[(int)(stored % 3)]}", await ReadResumeAsync(agent, timeout.Token));

            // Kill it at a random point: after some acknowledgements, while its flow keeps recording.
            var acknowledged = new List<(long Sequence, string Hash)>();
            var wanted = Random.Shared.Next(1, 400);
            while (acknowledged.Count < wanted)
            {
                acknowledged.Add(ParseAck(await agent.StandardOutput.ReadLineAsync(timeout.Token)));
            }

            await KillAndDrainAsync(agent, acknowledged, timeout.Token);

            // Acknowledged in chain order, each once, carrying on from the record it resumed from.
            Assert.Equal(Enumerable.Range(1, acknowledged.Count).Select(i => stored + i), acknowledged.Select(ack => ack.Sequence));
            stored = AssertStored(seed, acknowledged);
        }
    }

    [Fact]
    public async Task A_killed_agent_loses_no_acknowledged_record_of_concurrent_writers()
    {
        var seed = RandomSeed();
        long stored = 0;
        var everAcknowledged = new List<(long Sequence, string Hash)>();
        for (var round = 0; round < 5; round++)
        {
            using var agent = Start(Convert.ToHexString(seed), "writers");
            using var timeout = new CancellationTokenSource(Patience);
            Assert.Equal($"resume {stored} -", await ReadResumeAsync(agent, timeout.Token));

            // Four tasks append concurrently; each acknowledgement means its batch committed.
            var acknowledged = new List<(long Sequence, string Hash)>();
            var wanted = Random.Shared.Next(1, 400);
            while (acknowledged.Count < wanted)
            {
                acknowledged.Add(ParseAck(await agent.StandardOutput.ReadLineAsync(timeout.Token)));
            }

            await KillAndDrainAsync(agent, acknowledged, timeout.Token);

            // Each sequence acknowledged once, all after the records the agent resumed from.
            Assert.Equal(acknowledged.Count, acknowledged.Select(ack => ack.Sequence).Distinct().Count());
            Assert.All(acknowledged, ack => Assert.True(ack.Sequence > stored, $"record #{ack.Sequence} was acknowledged again"));
            everAcknowledged.AddRange(acknowledged);
            stored = AssertStored(seed, everAcknowledged);
        }
    }

    private static byte[] RandomSeed()
    {
        var seed = new byte[32];
        Random.Shared.NextBytes(seed);
        return seed;
    }

    private static async Task<string?> ReadResumeAsync(Process agent, CancellationToken cancellationToken) =>
        await agent.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException(await agent.StandardError.ReadToEndAsync(cancellationToken));

    /// <summary>Kills the agent; the lines it printed before the kill were acknowledged too.</summary>
    private static async Task KillAndDrainAsync(Process agent, List<(long Sequence, string Hash)> acknowledged, CancellationToken cancellationToken)
    {
        agent.Kill();
        while (await agent.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            acknowledged.Add(ParseAck(line));
        }

        await agent.WaitForExitAsync(cancellationToken);
    }

    /// <summary>The graph verifies, its chain has no gaps, and every acknowledged record is stored with its hash.</summary>
    private long AssertStored(byte[] seed, IEnumerable<(long Sequence, string Hash)> acknowledged)
    {
        using var identity = AgentIdentity.FromSeed(seed);
        var verification = DecisionGraphVerifier.Verify(_dir.Database);
        Assert.True(verification.IsValid, verification.FirstError?.ToString());
        var records = DecisionGraphFile.Read(_dir.Database).Records;
        Assert.Equal(identity.Id, records[0].Agent);
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Sequence));
        foreach (var (sequence, hash) in acknowledged)
        {
            Assert.True(sequence <= records.Count, $"record #{sequence} was acknowledged but only {records.Count} are stored");
            Assert.Equal(hash, records[(int)sequence - 1].Hash.ToString());
        }

        return records.Count;
    }

    private Process Start(string seedHex, string mode)
    {
        var program = RepositoryRoot.BuiltAssembly("tests/Synapse.Graph.CrashAgent", "Synapse.Graph.CrashAgent");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "exec", program, _dir.Path, seedHex, mode })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException("the crash agent did not start");
    }

    private static (long Sequence, string Hash) ParseAck(string? line)
    {
        Assert.NotNull(line);
        var parts = line.Split(' ');
        Assert.True(parts is ["ack", _, _], $"not an acknowledgement: '{line}'");
        return (long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2]);
    }
}
