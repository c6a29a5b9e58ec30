using System.Diagnostics;
using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Tests.Flows.Graph;

/// <summary>
/// Kills an agent process (tests/Synapse.Graph.CrashAgent) in the middle of its flow, again and again: every record
/// it acknowledged is still there, the graph verifies, and the restarted agent resumes from its last state.
/// </summary>
public sealed class GraphCrashTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly GraphDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_killed_agent_loses_no_acknowledged_record_and_resumes_from_its_last_state()
    {
        var seed = new byte[32];
        Random.Shared.NextBytes(seed);
        using var identity = AgentIdentity.FromSeed(seed);
        var acknowledged = new List<long>();
        long stored = 0;

        for (var round = 0; round < 5; round++)
        {
            using var agent = Start(Convert.ToHexString(seed));
            using var timeout = new CancellationTokenSource(Patience);

            // The restarted agent's flow resumes from the newest record on disk, in the state that record moved to
            // (its flow goes round a -> b -> c -> a, one record per message).
            var resume = await agent.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException(await agent.StandardError.ReadToEndAsync());
            Assert.Equal($"resume {stored} {"abc"[(int)(stored % 3)]}", resume);

            // Kill it at a random point: after some acknowledgements, while it keeps appending.
            var wanted = Random.Shared.Next(1, 40);
            for (var seen = 0; seen < wanted; seen++)
            {
                acknowledged.Add(ParseAck(await agent.StandardOutput.ReadLineAsync(timeout.Token)));
            }

            agent.Kill();
            // Lines printed before the kill were acknowledged too.
            while (await agent.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                acknowledged.Add(ParseAck(line));
            }

            await agent.WaitForExitAsync(timeout.Token);

            var verification = DecisionGraphVerifier.Verify(_dir.Database);
            Assert.True(verification.IsValid, verification.FirstError?.ToString());
            var records = DecisionGraphFile.Read(_dir.Database).Records;
            Assert.Equal(identity.Id, records[0].Agent);
            Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Sequence));
            Assert.Equal(acknowledged, Enumerable.Range(1, acknowledged.Count).Select(i => (long)i)); // each acked once, in order
            Assert.True(records.Count >= acknowledged[^1], $"record #{acknowledged[^1]} was acknowledged but only {records.Count} are stored");
            Assert.True(records.Count <= acknowledged[^1] + 1, "at most the append in flight may be stored unacknowledged");
            stored = records.Count;
            if (stored > acknowledged[^1])
            {
                acknowledged.Add(stored); // stored before the kill, acknowledged on restart by the resume line
            }
        }
    }

    private Process Start(string seedHex)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var program = RepositoryRoot.Path("tests", "Synapse.Graph.CrashAgent", "bin", configuration, "net10.0", "Synapse.Graph.CrashAgent.dll");
        Assert.True(File.Exists(program), $"{program} is missing: build Synapse.sln");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "exec", program, _dir.Path, seedHex })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException("the crash agent did not start");
    }

    private static long ParseAck(string? line)
    {
        Assert.NotNull(line);
        Assert.StartsWith("ack ", line, StringComparison.Ordinal);
        return long.Parse(line.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture);
    }
}
