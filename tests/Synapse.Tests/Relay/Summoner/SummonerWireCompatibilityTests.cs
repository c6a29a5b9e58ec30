using System.Text;
using System.Text.Json.Nodes;
using Synapse.Relay.Summoner;
using Xunit;

namespace Synapse.Tests.Relay.Summoner;

/// <summary>Our bytes against Python's <c>json.dumps</c>, for the client's typed line and the relay's envelope.</summary>
public sealed class SummonerWireCompatibilityTests
{
    internal static readonly string[] Documents =
    [
        "\"What is your name?\"",
        "{\"from\": \"ddb1cc35\", \"to\": null, \"type\": \"selling\", \"status\": \"waiting\", \"TXID\": null}",
        "{\"name\":\"Zoë\",\"emoji\":\"😀 \\ud83d\\ude00 𝄞\",\"ctrl\":\"\\u0000\\u0001\\u001f\\u007f\\b\\f\\n\\r\\t\",\"q\":\"say \\\"hi\\\" \\\\ / there\"}",
        "[1, -0, 0, 123456789012345678901234567890, -42, 1.0, -0.0, 0.1, 1e16, 1E15, 1.5e-5, 0.0001, 0.00001, 2.5e+300, 5e-324, 3.141592653589793, 123456789.125, 1e22, 1e-7]",
        "{\"a\":[[],{},[{}],{\"b\":[true,false,null]}],\"c\":{\"d\":{\"e\":[1,[2,[3.5,\"x\"]]]}}}",
        "\"\"",
        "null",
        "true",
        "7",
        "2.0",
        "[]",
        "{}",
        "{\"a\":\"[1,2]\",\"t\":\"true\",\"k\":\"{\\\"z\\\":1}\"}",
        "\"\\u2028\\u2029\\uffff\\u00ff\\u0080\\u07ff\\u0800 中文\"",
        "{\"\": \"empty key\", \"ключ\": \"значение\", \"k\\u00e9y\\n\": [\"\\r\", \"crlf\\r\\n\"]}",
    ];

    [Fact]
    public async Task Typed_lines_match_python_for_parsed_json_documents()
    {
        var documents = Documents.Append("[1e400, -1e400]").ToArray(); // json.loads makes inf: json.dumps writes Infinity
        var expected = await PythonJsonOracle.WrapJsonAsync(documents);
        for (var i = 0; i < documents.Length; i++)
        {
            AssertBytes(expected[i]!, SummonerWire.WrapPayload(JsonNode.Parse(documents[i])), documents[i]);
        }
    }

    [Fact]
    public async Task Typed_lines_match_python_for_strings_including_lone_surrogates_and_every_control_character()
    {
        var random = new Random(1234);
        var strings = new List<string>
        {
            "", "\"", "\\", "\r", "crlf line\r", "\ud83d\ude00", "\ud800", "a\udc00b", "\u007f\u0080\u00ff\u0100\uffff", "🧠 naïve café",
            new(Enumerable.Range(0, 0x80).Select(c => (char)c).ToArray()),
        };
        for (var i = 0; i < 200; i++)
        {
            strings.Add(new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0, 0x10000)).ToArray()));
        }

        var expected = await PythonJsonOracle.WrapStringsAsync(strings);
        for (var i = 0; i < strings.Count; i++)
        {
            AssertBytes(expected[i]!, SummonerWire.WrapPayload(JsonValue.Create(strings[i])), $"string #{i}");
        }
    }

    [Fact]
    public async Task Typed_lines_match_python_float_repr_for_clr_doubles()
    {
        var random = new Random(42);
        var values = new List<double>
        {
            0.0, -0.0, 1.0, 3.0, -2.5, 0.1, 1.0 / 3, 1e15, 1e16, 9999999999999998.0, 123456789012345680.0, 1e-4, 1e-5, 0.00012345,
            5e-324, double.Epsilon * 3, double.MaxValue, double.MinValue, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
            1e100, 1.7976931348623157e308, 2.2250738585072014e-308, 100.0, 1234.5678,
        };
        for (var i = 0; i < 400; i++)
        {
            values.Add(BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)));
            values.Add(Math.Round(random.NextDouble() * Math.Pow(10, random.Next(-8, 20)), random.Next(0, 6)));
        }

        var expected = await PythonJsonOracle.WrapFloatsAsync(values);
        for (var i = 0; i < values.Count; i++)
        {
            AssertBytes(expected[i]!, SummonerWire.WrapPayload(JsonValue.Create(values[i])), values[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Clr_values_are_typed_as_python_would_type_them()
    {
        var payload = new JsonObject
        {
            ["i"] = 3,
            ["l"] = long.MaxValue,
            ["d"] = 3.0,
            ["f"] = 0.1f,
            ["m"] = 2.50m,
            ["b"] = false,
            ["n"] = null,
            ["s"] = "é",
            ["c"] = 'x',
            ["list"] = new JsonArray(1, 2.0, "3", true, null),
        };
        var expected = await PythonJsonOracle.WrapJsonAsync(
            ["{\"i\": 3, \"l\": 9223372036854775807, \"d\": 3.0, \"f\": 0.1, \"m\": 2.5, \"b\": false, \"n\": null, \"s\": \"\\u00e9\", \"c\": \"x\", \"list\": [1, 2.0, \"3\", true, null]}"]);
        AssertBytes(expected[0]!, SummonerWire.WrapPayload(payload), "CLR values");
    }

    [Fact]
    public async Task Relay_envelopes_match_the_python_server_and_invalid_utf8_is_refused_exactly_where_python_fails()
    {
        var random = new Random(7);
        List<byte[]> lines =
        [
            [], "crlf line\r"u8.ToArray(), "hello world"u8.ToArray(), "\"quoted\" back\\slash /"u8.ToArray(),
            Enumerable.Range(0, 0x80).Select(b => (byte)b).ToArray(), Encoding.UTF8.GetBytes("é中😀𝄞\u2028\uffff"),
            SummonerWire.WrapPayload(JsonNode.Parse(Documents[2]))[..^1], SummonerWire.WrapPayload(JsonNode.Parse(Documents[14]))[..^1],
            [0xff, 0xfe], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80],
            [(byte)'o', (byte)'k', 0xff], [0xef, 0xbf, 0xbe], [0xf0, 0x9f, 0x98], [0xc3],
        ];
        for (var i = 0; i < 200; i++)
        {
            var text = new StringBuilder();
            for (var n = random.Next(0, 30); n > 0; n--)
            {
                var codePoint = random.Next(4) switch { 0 => random.Next(0, 0x80), 1 => random.Next(0x80, 0x800), 2 => random.Next(0x800, 0xd800), _ => random.Next(0x10000, 0x110000) };
                text.Append(char.ConvertFromUtf32(codePoint));
            }

            lines.Add(Encoding.UTF8.GetBytes(text.ToString()));
        }

        var expected = await PythonJsonOracle.RelayAsync(lines);
        for (var i = 0; i < lines.Count; i++)
        {
            var ok = SummonerWire.TryFormatRelayLine(PythonJsonOracle.RelayAddress, lines[i], out var envelope);
            Assert.True(ok == expected[i] is not null, $"line #{i} ({Convert.ToHexString(lines[i])}): ours {(ok ? "formats" : "refuses")} it, Python's server {(expected[i] is null ? "fails" : "relays it")}");
            if (ok)
            {
                AssertBytes(expected[i]!, envelope, $"line #{i}");
                Assert.Equal(envelope, SummonerWire.FormatRelayLine(PythonJsonOracle.RelayAddress, lines[i]));
            }
            else
            {
                Assert.Throws<ArgumentException>(() => SummonerWire.FormatRelayLine(PythonJsonOracle.RelayAddress, lines[i]));
            }
        }
    }

    [Fact]
    public void The_captured_bytes_of_spec_section_1_3_are_reproduced()
    {
        var line = SummonerWire.WrapPayload(JsonValue.Create("What is your name?"));
        Assert.Equal("{\"_version\": \"1.3.0\", \"_payload\": \"What is your name?\", \"_type\": \"str\"}\n", Encoding.ASCII.GetString(line));
        var envelope = SummonerWire.FormatRelayLine("127.0.0.1:33534", line.AsSpan(0, line.Length - 1));
        Assert.Equal(
            "{\"remote_addr\": \"127.0.0.1:33534\", \"content\": \"{\\\"_version\\\": \\\"1.3.0\\\", \\\"_payload\\\": \\\"What is your name?\\\", \\\"_type\\\": \\\"str\\\"}\"}\n",
            Encoding.ASCII.GetString(envelope));
    }

    [Fact]
    public void Remote_addresses_are_formatted_as_summoner_formats_them()
    {
        Assert.Equal("127.0.0.1:33534", SummonerWire.FormatRemoteAddress(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 33534)));
        Assert.Equal("[::1]:5", SummonerWire.FormatRemoteAddress(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Loopback, 5)));
        Assert.Equal("[fe80::1%3]:8888", SummonerWire.FormatRemoteAddress(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("fe80::1%3"), 8888)));
        Assert.Equal("[fe80::1]:8888", SummonerWire.FormatRemoteAddress(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("fe80::1"), 8888)));
    }

    [Fact]
    public void A_custom_version_is_written_as_given()
    {
        Assert.Equal("{\"_version\": \"1.2.0\", \"_payload\": [1, \"a\"], \"_type\": [\"int\", \"str\"]}\n", Encoding.ASCII.GetString(SummonerWire.WrapPayload(new JsonArray(1, "a"), "1.2.0")));
        Assert.Equal("{\"_version\": \"1.3.0\", \"_payload\": null, \"_type\": \"null\"}\n", Encoding.ASCII.GetString(SummonerWire.WrapPayload(null)));
    }

    private static void AssertBytes(byte[] expected, byte[] actual, string what)
    {
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Fail($"{what}:\npython: {Encoding.Latin1.GetString(expected)}\nours:   {Encoding.Latin1.GetString(actual)}");
        }
    }
}
