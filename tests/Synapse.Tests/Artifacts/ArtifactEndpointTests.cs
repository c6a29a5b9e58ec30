using Synapse.Artifacts;
using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Tests.Rpc;

namespace Synapse.Tests.Artifacts;

/// <summary><c>_synapse.artifacts</c> and <c>_synapse.artifact.get</c> on a host, read by our client and by a real Python client.</summary>
public sealed class ArtifactEndpointTests
{
    [Fact]
    public async Task A_host_serves_its_agent_card_and_the_artifacts_added()
    {
        await using var host = await TestHost.StartAsync(o => o.Artifacts.Add(ServedArtifact.FromText("notes", "# Notes", "text/markdown")));
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        var listed = (await client.CallAsync("_synapse.artifacts")).AsArray().Select(ServedArtifact.FromMsgPack).ToList();
        var card = ServedArtifact.FromMsgPack(await client.CallAsync("_synapse.artifact.get", ["agent-card"]));

        Assert.Equal(["agent-card", "notes"], listed.Select(a => a.Name));
        Assert.All(listed, a => Assert.True(a.Content.IsNil)); // descriptors carry no content
        Assert.Equal(ServedArtifact.AgentCardMimeType, card.MimeType);
        Assert.Equal(host.Host.Identity.Id.ToString(), card.Content["agent_id"]!.AsString());
        Assert.Equal(host.Host.Descriptor.Name, card.Content["name"]!.AsString());
        Assert.True(card.Matches());
    }

    [Fact]
    public async Task An_agent_card_of_the_apps_own_replaces_the_generated_one()
    {
        var own = ServedArtifact.FromValue("agent-card", MsgPackValue.Map([("name", "reviewer"), ("capabilities", MsgPackValue.FromArray(["code-review"]))]), ServedArtifact.AgentCardMimeType);
        await using var host = await TestHost.StartAsync(o => o.Artifacts.Add(own));
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        var listed = (await client.CallAsync("_synapse.artifacts")).AsArray();

        Assert.Equal("dff355dc1bfeebbd133f25b00a8c169d25c9afef8d3f45076f0140668bed3920", Assert.Single(listed)["sha256"]!.AsString());
    }

    [Fact]
    public async Task A_python_client_reads_the_same_shapes_a_python_node_serves()
    {
        var own = ServedArtifact.FromValue("agent-card", MsgPackValue.Map([("name", "reviewer"), ("capabilities", MsgPackValue.FromArray(["code-review"]))]), ServedArtifact.AgentCardMimeType);
        await using var host = await TestHost.StartAsync(o => o.Artifacts.Add(own));

        var listed = await PythonPeer.CallAsync(host.Port, "_synapse.artifacts", "[]");
        var fetched = await PythonPeer.CallAsync(host.Port, "_synapse.artifact.get", """["agent-card"]""");
        var missing = await PythonPeer.CallAsync(host.Port, "_synapse.artifact.get", """["missing"]""");

        // The exact descriptor synapse-p2p's own test expects, keys in its order.
        Assert.Equal(
            """[{"name":"agent-card","mime_type":"application/vnd.synapse.agent-card+json","kind":"metadata","description":"","encoding":"json","size":50,"sha256":"dff355dc1bfeebbd133f25b00a8c169d25c9afef8d3f45076f0140668bed3920","metadata":{}}]""",
            Compact(listed.GetProperty("result")));
        Assert.Equal(["name", "mime_type", "content", "kind", "description", "encoding", "size", "sha256", "metadata"], fetched.GetProperty("result").EnumerateObject().Select(p => p.Name));
        Assert.Equal("""{"name":"reviewer","capabilities":["code-review"]}""", Compact(fetched.GetProperty("result").GetProperty("content")));
        Assert.Equal("bad_request", missing.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("unknown artifact: missing", missing.GetProperty("error").GetProperty("message").GetString());
    }

    private static string Compact(System.Text.Json.JsonElement json) =>
        System.Text.Json.JsonSerializer.Serialize(json, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
