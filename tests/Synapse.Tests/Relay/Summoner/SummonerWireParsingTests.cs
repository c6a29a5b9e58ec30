using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Relay.Summoner;
using Xunit;

namespace Synapse.Tests.Relay.Summoner;

public sealed class SummonerWireParsingTests
{
    [Fact]
    public void The_python_servers_captured_envelope_gives_the_typed_payload()
    {
        var line = "{\"remote_addr\": \"127.0.0.1:33534\", \"content\": \"{\\\"_version\\\": \\\"1.3.0\\\", \\\"_payload\\\": \\\"What is your name?\\\", \\\"_type\\\": \\\"str\\\"}\"}\n"u8;
        Assert.True(SummonerWire.TryParseRelayLine(line, out var message));
        Assert.False(message.IsNotice);
        Assert.Equal("127.0.0.1:33534", message.RemoteAddress);
        Assert.Equal("1.3.0", message.Version);
        Assert.Equal(JsonValueKind.String, message.Content!.GetValueKind());
        Assert.Equal("What is your name?", message.Content.GetValue<string>());
        Assert.Equal("{\"_version\": \"1.3.0\", \"_payload\": \"What is your name?\", \"_type\": \"str\"}", message.Text);
    }

    [Fact]
    public void The_rust_servers_compact_sorted_unescaped_envelope_gives_the_same_payload()
    {
        var line = Encoding.UTF8.GetBytes("{\"content\":\"{\\\"_payload\\\":{\\\"a\\\":\\\"é😀\\\",\\\"n\\\":[1,2.5,null]},\\\"_type\\\":{\\\"a\\\":\\\"str\\\",\\\"n\\\":[\\\"int\\\",\\\"float\\\",\\\"null\\\"]},\\\"_version\\\":\\\"1.3.0\\\"}\",\"remote_addr\":\"[::1]:5\"}");
        Assert.True(SummonerWire.TryParseRelayLine(line, out var message));
        Assert.Equal("[::1]:5", message.RemoteAddress);
        Assert.Equal("1.3.0", message.Version);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"a\":\"é😀\",\"n\":[1,2.5,null]}"), message.Content), message.Content?.ToJsonString());
    }

    [Fact]
    public void Key_order_spacing_and_ascii_escaping_do_not_matter()
    {
        var line = "  { \"content\" : \"\\u0068i\" ,\n\t\"extra\": [1, {\"x\": 2}], \"remote_addr\":\"\\u0031.2.3.4:5\" }  \r\n"u8;
        Assert.True(SummonerWire.TryParseRelayLine(line, out var message));
        Assert.Equal("1.2.3.4:5", message.RemoteAddress);
        Assert.Equal("hi", message.Content!.GetValue<string>());
        Assert.Null(message.Version);
    }

    [Theory]
    [InlineData("Warning: Server disconnected.")]
    [InlineData("Warning: You are sending messages too quickly. Please slow down.\n")]
    [InlineData("Warning: You have been disconnected due to inactivity.\r\n")]
    [InlineData("{\"remote_addr\": \"1.2.3.4:5\", \"content\": \"x\"} trailing")]
    public void A_line_that_is_not_json_is_a_notice(string line)
    {
        Assert.True(SummonerWire.TryParseRelayLine(Encoding.UTF8.GetBytes(line), out var message));
        Assert.True(message.IsNotice);
        Assert.Equal(line.TrimEnd('\n').TrimEnd('\r'), message.Text);
        Assert.Null(message.RemoteAddress);
        Assert.Null(message.Content);
    }

    [Fact]
    public void An_unknown_version_is_accepted_and_its_type_tree_applied_like_pythons_caster()
    {
        var line = SummonerWire.FormatRelayLine("1.2.3.4:5", "{\"_version\":\"9.9.9\",\"_payload\":{\"n\":\"5\",\"f\":\"2\",\"s\":7,\"z\":\"gone\",\"keep\":[\"a\"]},\"_type\":{\"n\":\"int\",\"f\":\"float\",\"s\":\"str\",\"z\":\"null\",\"keep\":\"str\"}}"u8);
        Assert.True(SummonerWire.TryParseRelayLine(line, out var message));
        Assert.Equal("9.9.9", message.Version);
        var content = message.Content!.AsObject();
        Assert.Equal(5, content["n"]!.GetValue<int>());
        Assert.Equal(JsonValueKind.Number, content["n"]!.GetValueKind());
        Assert.Equal(2.0, content["f"]!.GetValue<double>());
        Assert.Equal("7", content["s"]!.GetValue<string>());
        Assert.True(content.ContainsKey("z"));
        Assert.Null(content["z"]);
        Assert.True(JsonNode.DeepEquals(new JsonArray("a"), content["keep"])); // containers are never turned into Python's str()
    }

    [Fact]
    public void Strings_holding_json_stay_strings_unlike_summoners_recursive_decoder()
    {
        var payload = JsonNode.Parse("{\"a\":\"[1,2]\",\"t\":\"true\",\"k\":\"{\\\"z\\\":1}\"}");
        Assert.True(SummonerWire.TryParseRelayLine(Relay(payload), out var message));
        Assert.True(JsonNode.DeepEquals(payload, message.Content), message.Content?.ToJsonString());
        Assert.Equal("[1,2]", message.Content!["a"]!.GetValue<string>());
        Assert.Equal("true", message.Content["t"]!.GetValue<string>());

        Assert.True(SummonerWire.TryParseRelayLine(Relay(JsonValue.Create("{\"q\":1}")), out var stringMessage));
        Assert.Equal("{\"q\":1}", stringMessage.Content!.GetValue<string>());
    }

    [Fact]
    public void Every_document_survives_wrap_relay_and_parse()
    {
        foreach (var document in SummonerWireCompatibilityTests.Documents)
        {
            var payload = JsonNode.Parse(document);
            Assert.True(SummonerWire.TryParseRelayLine(Relay(payload), out var message), document);
            Assert.Equal("1.3.0", message.Version);
            Assert.True(JsonNode.DeepEquals(payload, message.Content), $"{document} came back as {message.Content?.ToJsonString()}");
        }
    }

    [Fact]
    public void Untyped_content_is_parsed_once_or_kept_as_text()
    {
        Assert.True(SummonerWire.TryParseRelayLine(SummonerWire.FormatRelayLine("a:1", "hello world"u8), out var plain));
        Assert.Equal("hello world", plain.Content!.GetValue<string>());
        Assert.Null(plain.Version);

        Assert.True(SummonerWire.TryParseRelayLine(SummonerWire.FormatRelayLine("a:1", ""u8), out var empty));
        Assert.Equal("", empty.Content!.GetValue<string>());
        Assert.Equal("", empty.Text);

        Assert.True(SummonerWire.TryParseRelayLine(SummonerWire.FormatRelayLine("a:1", "[1, \"[2]\"]"u8), out var json));
        Assert.True(JsonNode.DeepEquals(new JsonArray(1, "[2]"), json.Content));

        Assert.True(SummonerWire.TryParseRelayLine(SummonerWire.FormatRelayLine("a:1", "crlf line\r"u8), out var crlf));
        Assert.Equal("crlf line\r", crlf.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("   \r\n")]
    [InlineData("42")]
    [InlineData("[\"remote_addr\", \"content\"]")]
    [InlineData("{\"remote_addr\": \"1.2.3.4:5\"}")]
    [InlineData("{\"content\": \"x\"}")]
    [InlineData("{\"remote_addr\": 5, \"content\": \"x\"}")]
    public void Lines_that_are_neither_envelopes_nor_notices_are_refused(string line)
    {
        Assert.False(SummonerWire.TryParseRelayLine(Encoding.UTF8.GetBytes(line), out _));
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        Assert.False(SummonerWire.TryParseRelayLine([(byte)'W', 0xff, 0xfe, (byte)'\n'], out _));
    }

    private static byte[] Relay(JsonNode? payload)
    {
        var line = SummonerWire.WrapPayload(payload);
        return SummonerWire.FormatRelayLine("127.0.0.1:1", line.AsSpan(0, line.Length - 1));
    }
}
