using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.Tests.Interop;

namespace Synapse.Tests.Flows.Graph;

/// <summary>
/// docs/decision-graph.md is enough to re-verify a record elsewhere: tests/interop/verify_decision_record.py decodes
/// it with python3-msgpack, re-encodes it canonically, hashes it and checks the signature with python3-cryptography.
/// </summary>
public sealed class PythonRecordTests : IDisposable
{
    private readonly GraphDirectory _dir = new();
    private readonly AgentIdentity _alice = AgentIdentity.Generate();

    public void Dispose()
    {
        _alice.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Python_decodes_hashes_and_verifies_a_record_as_documented()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _alice);
        graph.Append(GraphKit.Draft(1));
        var messageId = Guid.NewGuid();
        var peer = DecisionHash.Compute("peer"u8);
        var record = graph.Append(new DecisionDraft
        {
            Route = "review/submit",
            StatesBefore = ["doc:draft", "clé:état"],
            StatesAfter = ["doc:review"],
            Trigger = null,
            Action = DecisionActions.Stay,
            Data = new byte[300],
            CauseMessageId = messageId,
            CauseHash = graph.LatestHash,
            PeerRefs = [peer],
        });

        var python = await RunAsync(Convert.ToHexString(record.Bytes.Span));

        Assert.Equal(record.Hash.ToString(), python.GetProperty("hash").GetString());
        Assert.True(python.GetProperty("canonical").GetBoolean());
        Assert.True(python.GetProperty("signature_valid").GetBoolean());
        Assert.Equal(2, python.GetProperty("sequence").GetInt64());
        Assert.Equal(record.Previous.ToString(), python.GetProperty("previous").GetString());
        Assert.Equal(record.Timestamp.ToUnixTimeMilliseconds(), python.GetProperty("timestamp_ms").GetInt64());
        Assert.Equal(["doc:draft", "clé:état"], python.GetProperty("states_before").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, python.GetProperty("trigger").ValueKind);
        Assert.Equal("stay", python.GetProperty("action").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(new byte[300])), python.GetProperty("data_digest").GetString());
        Assert.Equal(messageId.ToString(), python.GetProperty("cause_message_id").GetString());
        Assert.Equal(record.CauseHash.ToString(), python.GetProperty("cause_hash").GetString());
        Assert.Equal([peer.ToString()], python.GetProperty("peer_refs").EnumerateArray().Select(e => e.GetString()));

        var forged = record.Bytes.ToArray();
        forged[10] ^= 1;
        Assert.False((await RunAsync(Convert.ToHexString(forged))).GetProperty("signature_valid").GetBoolean());
    }

    private static async Task<JsonElement> RunAsync(string recordHex)
    {
        Assert.True(File.Exists(PythonPeer.Python), $"{PythonPeer.Python} is missing: run ./test.sh, which installs python3-msgpack");
        var info = new ProcessStartInfo(PythonPeer.Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(RepositoryRoot.Path("tests", "interop", "verify_decision_record.py"));
        using var process = Process.Start(info) ?? throw new InvalidOperationException("python did not start");
        await process.StandardInput.WriteAsync(recordHex);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"python failed ({process.ExitCode}): {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }
}
