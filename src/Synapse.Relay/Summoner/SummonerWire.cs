using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Synapse.MessagePack;

namespace Synapse.Relay.Summoner;

/// <summary>
/// Summoner's newline-JSON wire protocol (release 1.3.0), byte for byte: the typed line a client sends, the envelope a
/// relay sends to the other clients, and the parsing of what a relay sends (Python or Rust server).
/// </summary>
public static class SummonerWire
{
    /// <summary>The wrapper version Summoner 1.3.0 clients write, and accept on send.</summary>
    public const string DefaultVersion = "1.3.0";

    private static ReadOnlySpan<byte> EnvelopeStart => "{\"remote_addr\": \""u8;

    private static ReadOnlySpan<byte> EnvelopeMiddle => "\", \"content\": \""u8;

    private static ReadOnlySpan<byte> EnvelopeEnd => "\"}\n"u8;

    /// <summary>
    /// The line a Summoner client sends: <c>{"_version": "1.3.0", "_payload": …, "_type": …}</c> and <c>\n</c>, as Python's
    /// <c>json.dumps</c> writes it (<c>", "</c> and <c>": "</c> separators, ASCII with <c>\uXXXX</c> escapes, Python's float
    /// repr). The <c>_type</c> tree gives each leaf's Python type (<c>str</c>, <c>bool</c>, <c>int</c>, <c>float</c>,
    /// <c>null</c>) in the shape of the payload. A number parsed from JSON text is a float when its text has a fraction or
    /// an exponent; one made from a CLR <see cref="double"/>, <see cref="float"/> or <see cref="decimal"/> is a float.
    /// </summary>
    /// <param name="payload">The payload; null sends JSON <c>null</c>.</param>
    /// <param name="version">The <c>_version</c> to write; Python peers reject versions they do not list on send, not on receive.</param>
    public static byte[] WrapPayload(JsonNode? payload, string version = DefaultVersion)
    {
        ArgumentNullException.ThrowIfNull(version);
        var output = new ArrayBufferWriter<byte>(256);
        PythonJson.WriteAscii(output, "{\"_version\": ");
        PythonJson.WriteString(output, version);
        PythonJson.WriteAscii(output, ", \"_payload\": ");
        PayloadWriter.WriteValue(output, payload);
        PythonJson.WriteAscii(output, ", \"_type\": ");
        PayloadWriter.WriteType(output, payload);
        PythonJson.WriteAscii(output, "}\n");
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The envelope a Summoner relay sends to the other clients for one line: <c>{"remote_addr": "…", "content": "…"}</c>
    /// and <c>\n</c>, byte-identical to the Python server's <c>json.dumps</c>.
    /// </summary>
    /// <param name="remoteAddress">The sender's address (see <see cref="FormatRemoteAddress"/>).</param>
    /// <param name="lineUtf8">The sender's line without its final <c>\n</c> (a <c>\r</c> is kept, as Python keeps it).</param>
    /// <exception cref="ArgumentException">The line is not valid UTF-8.</exception>
    public static byte[] FormatRelayLine(string remoteAddress, ReadOnlySpan<byte> lineUtf8) =>
        TryFormatRelayLine(remoteAddress, lineUtf8, out var envelope)
            ? envelope
            : throw new ArgumentException("The line is not valid UTF-8.", nameof(lineUtf8));

    /// <summary>
    /// As <see cref="FormatRelayLine"/>; returns false when the line is not valid UTF-8 (a Python relay then disconnects
    /// the sender). Two passes over the line and one allocation, the envelope itself.
    /// </summary>
    public static bool TryFormatRelayLine(string remoteAddress, ReadOnlySpan<byte> lineUtf8, out byte[] envelope)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        var contentLength = PythonJson.EscapedLength(lineUtf8);
        if (contentLength < 0)
        {
            envelope = [];
            return false;
        }

        var addressLength = PythonJson.EscapedLength(remoteAddress);
        envelope = new byte[EnvelopeStart.Length + addressLength + EnvelopeMiddle.Length + contentLength + EnvelopeEnd.Length];
        var span = envelope.AsSpan();
        EnvelopeStart.CopyTo(span);
        var at = EnvelopeStart.Length;
        at += PythonJson.WriteEscaped(remoteAddress, span[at..]);
        EnvelopeMiddle.CopyTo(span[at..]);
        at += EnvelopeMiddle.Length;
        at += PythonJson.WriteEscaped(lineUtf8, span[at..]);
        EnvelopeEnd.CopyTo(span[at..]);
        return true;
    }

    /// <summary>
    /// The sender's address as Summoner writes it: <c>ip:port</c> for IPv4, <c>[ip]:port</c> for IPv6 and
    /// <c>[ip%scope]:port</c> when the scope id is not zero.
    /// </summary>
    public static string FormatRemoteAddress(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var address = endPoint.Address;
        var port = endPoint.Port.ToString(CultureInfo.InvariantCulture);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return $"{address}:{port}";
        }

        var scope = address.ScopeId;
        var bare = scope == 0 ? address : new IPAddress(address.GetAddressBytes());
        return scope == 0 ? $"[{bare}]:{port}" : $"[{bare}%{scope.ToString(CultureInfo.InvariantCulture)}]:{port}";
    }

    /// <summary>
    /// Reads one line from a relay. A relayed message (<c>{"remote_addr", "content"}</c> in any key order, spacing or
    /// escaping) has its <c>content</c> parsed once as JSON (a string holding JSON text stays that string), and a typed
    /// wrapper (any <c>_version</c>) is unwrapped to its payload. A line that is not JSON is a server notice. A final
    /// <c>\n</c> (or <c>\r\n</c>) is ignored.
    /// </summary>
    /// <returns>False for an empty line, invalid UTF-8, or JSON that is not a relay envelope.</returns>
    public static bool TryParseRelayLine(ReadOnlySpan<byte> line, out SummonerMessage message) =>
        RelayLineParser.TryParse(line, out message);
}
