using System.Net;
using System.Text;

namespace Synapse.Relay.Summoner;

/// <summary>Summoner's line protocol (placeholder until the full implementation lands).</summary>
public static class SummonerWire
{
    /// <summary>The relay envelope for a line, as Python's json.dumps writes it; false when the line is not UTF-8.</summary>
    public static bool TryFormatRelayLine(string remoteAddress, ReadOnlySpan<byte> lineUtf8, out byte[] envelope)
    {
        string line;
        try
        {
            line = new UTF8Encoding(false, true).GetString(lineUtf8);
        }
        catch (DecoderFallbackException)
        {
            envelope = [];
            return false;
        }

        var text = new StringBuilder("{\"remote_addr\": ");
        Quote(text, remoteAddress);
        text.Append(", \"content\": ");
        Quote(text, line);
        text.Append("}\n");
        envelope = Encoding.ASCII.GetBytes(text.ToString());
        return true;
    }

    /// <summary>The address as Summoner writes it.</summary>
    public static string FormatRemoteAddress(IPEndPoint endPoint) => endPoint.ToString();

    private static void Quote(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7E)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }
}
