using Synapse.Artifacts;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Tests.Artifacts;

/// <summary>Artifacts as synapse-p2p builds them: encodings, and sizes and SHA-256 that a Python node computes the same.</summary>
public sealed class ServedArtifactTests
{
    [Fact]
    public void A_value_is_hashed_as_pythons_canonical_json_the_pinned_example()
    {
        var card = ServedArtifact.FromValue("agent-card", MsgPackValue.Map([("name", "reviewer"), ("capabilities", MsgPackValue.FromArray(["code-review"]))]), ServedArtifact.AgentCardMimeType);

        Assert.Equal("json", card.Encoding);
        Assert.Equal(50, card.Size);
        Assert.Equal("dff355dc1bfeebbd133f25b00a8c169d25c9afef8d3f45076f0140668bed3920", card.Sha256);
        Assert.True(card.Matches());
    }

    [Fact]
    public void Text_is_served_as_is_and_bytes_as_base64()
    {
        var text = ServedArtifact.FromText("readme", "héllo", "text/markdown");
        var bytes = ServedArtifact.FromBytes("logo", new byte[] { 0, 1, 2, 255 }, "image/png");

        Assert.Equal(("text", 6L, "héllo"), (text.Encoding, text.Size, text.Content.AsString()));
        Assert.Equal(("base64", 4L, "AAEC/w=="), (bytes.Encoding, bytes.Size, bytes.Content.AsString()));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[] { 0, 1, 2, 255 })), bytes.Sha256);
        Assert.True(text.Matches());
        Assert.True(bytes.Matches());
    }

    [Fact]
    public async Task Sizes_and_digests_agree_with_pythons_json_dumps()
    {
        MsgPackValue[] values =
        [
            MsgPackValue.Map([("b", 1), ("a", MsgPackValue.FromArray([0.1, 1e-5, 1e16, 1e15, 123456789.125, -0.0, 3.0, 2.5e-7, 1.7976931348623157e308, -4.9e-324]))]),
            MsgPackValue.Map([("é", "naïve ☃ 😀"), ("E", "quote \" backslash \\ newline \n tab \t bell \u0007"), ("z", MsgPackValue.Nil), ("t", true)]),
            MsgPackValue.FromArray([MsgPackValue.From(long.MinValue), MsgPackValue.From(ulong.MaxValue), 0, -1]),
            MsgPackValue.Map([("😀", 1), ("\uffff", 2), ("a", 3)]), // Python orders keys by code point, not by UTF-16 unit
        ];

        var python = await PythonPeer.JsonDigestsAsync(MsgPackValue.FromArray(values).ToBytes());

        Assert.Equal(python, values.Select(v => ServedArtifact.FromValue("x", v)).Select(a => (a.Size, a.Sha256)));
    }

    [Fact]
    public void A_value_with_no_json_form_is_refused_naming_where()
    {
        var error = Assert.Throws<ArgumentException>(() => ServedArtifact.FromValue("x", MsgPackValue.Map([("files", MsgPackValue.FromArray([MsgPackValue.From(new byte[] { 1 })]))])));

        Assert.StartsWith("content.files[0]: a binary value has no JSON form", error.Message);
    }

    [Fact]
    public void A_tampered_artifact_no_longer_matches_and_one_read_back_does()
    {
        var artifact = ServedArtifact.FromValue("plan", MsgPackValue.Map([("steps", 3)]));

        var read = ServedArtifact.FromMsgPack(MsgPackValue.Parse(artifact.ToMsgPack().ToBytes()));

        Assert.True(read.Matches());
        Assert.False((read with { Content = MsgPackValue.Map([("steps", 4)]) }).Matches());
        Assert.False((read with { Content = "not base64 !", Encoding = "base64" }).Matches());
    }

    [Fact]
    public void A_malformed_artifact_from_a_peer_is_a_protocol_error_naming_the_field()
    {
        var error = Assert.Throws<RpcException>(() => ServedArtifact.FromMsgPack(MsgPackValue.Map([("name", "x"), ("mime_type", 3)])));

        Assert.Equal(RpcErrorCodes.ProtocolError, error.Code);
        Assert.Contains("'mime_type'", error.Message);
    }

    [Fact]
    public void The_catalog_replaces_by_name_and_refuses_what_one_response_cannot_carry()
    {
        var catalog = new ArtifactCatalog();
        catalog.Add(ServedArtifact.FromText("a", "one"));
        catalog.Add(ServedArtifact.FromText("b", "two"));
        catalog.Add(ServedArtifact.FromText("a", "three"));

        Assert.Equal(["a", "b"], catalog.All().Select(a => a.Name));
        Assert.Equal("three", catalog.Find("a")!.Content.AsString());
        Assert.Contains("advertise a URI", Assert.Throws<ArgumentException>(() => catalog.Add(ServedArtifact.FromBytes("big", new byte[4 * 1024 * 1024]))).Message);
        Assert.Contains("descriptor", Assert.Throws<ArgumentException>(() => catalog.Add(ServedArtifact.FromText("wordy", "x", description: new string('d', 4000)))).Message);
        Assert.Contains("not those of its content", Assert.Throws<ArgumentException>(() => catalog.Add(ServedArtifact.FromText("c", "x") with { Content = "y" })).Message);
        Assert.True(catalog.Remove("b"));
        Assert.Equal(1, catalog.Count);
    }
}
