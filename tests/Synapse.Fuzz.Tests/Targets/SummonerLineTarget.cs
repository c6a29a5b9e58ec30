using System.Text;
using System.Text.Json.Nodes;
using Synapse.Fuzz.Tests.Engine;
using Synapse.Relay.Summoner;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>
/// A Summoner client reading a line from a relay (<see cref="SummonerWire.TryParseRelayLine"/>), and a relay
/// wrapping a client's line for the others (<see cref="SummonerWire.TryFormatRelayLine"/>). Both report bad input
/// by returning false.
/// </summary>
public sealed class SummonerLineTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "summoner-line";

    /// <summary>JSON nodes per byte, and the relay's copy of the line.</summary>
    public override long AllocationPerByte => 160;

    /// <inheritdoc />
    public override IReadOnlyList<byte[]> Dictionary { get; } =
        [.. new[] { "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u00", "\\ud800", "null", "1e999", "-0.0", "\"content\"", "\"remote_addr\"", "\"_version\"", "\n", "\r\n" }
            .Select(Encoding.UTF8.GetBytes)];

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        var typed = SummonerWire.WrapPayload(new JsonObject { ["text"] = "hi", ["n"] = 3, ["list"] = new JsonArray(1, "two", null) });
        yield return SummonerWire.FormatRelayLine("127.0.0.1:5000", typed);
        yield return SummonerWire.FormatRelayLine("[::1]:6000", "plain text line\n"u8);
        yield return SummonerWire.FormatRelayLine("10.0.0.2:1", "{\"nested\": {\"a\": [1, 2.5, \"\\u00e9\"]}}"u8);
        yield return "Warning: you are sending too fast\n"u8.ToArray();
    }

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        SummonerWire.TryParseRelayLine(input, out _);
        SummonerWire.TryFormatRelayLine("127.0.0.1:5000", input, out _);
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => false;
}
