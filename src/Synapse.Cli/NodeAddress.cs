using System.Globalization;
using System.Net;

namespace Synapse.Cli;

/// <summary>A node's <c>HOST:PORT</c>, as the user wrote it (IPv6 hosts in brackets: <c>[::1]:9999</c>).</summary>
internal sealed record NodeAddress(string Host, int Port)
{
    /// <summary>Parses <c>HOST:PORT</c>.</summary>
    /// <exception cref="CliException">The text is not <c>HOST:PORT</c> with a port from 1 to 65535 (usage error).</exception>
    public static NodeAddress Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw Invalid(text, "expected HOST:PORT, e.g. 127.0.0.1:9999");
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!IPAddress.TryParse(host, out _))
            {
                throw Invalid(text, $"'{host}' is not an IPv6 address");
            }
        }
        else if (host.Contains(':'))
        {
            throw Invalid(text, "write an IPv6 host in brackets, e.g. [::1]:9999");
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            throw Invalid(text, "the host is empty or contains spaces");
        }

        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw Invalid(text, $"the port '{portText}' is not a number from 1 to 65535");
        }

        return new NodeAddress(host, port);
    }

    /// <inheritdoc />
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    private static CliException Invalid(string text, string why) => CliException.Usage($"invalid address '{text}': {why}");
}
