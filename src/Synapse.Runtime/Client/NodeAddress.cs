using System.Globalization;
using System.Net;

namespace Synapse.Client;

/// <summary>
/// A node's <c>HOST:PORT</c> as a person writes it (an IPv6 host in brackets: <c>[::1]:9999</c>): what the CLI takes on
/// its command line and hosting reads from configuration.
/// </summary>
/// <param name="Host">A host name or an IP address (without brackets).</param>
/// <param name="Port">A port from 1 to 65535.</param>
public sealed record NodeAddress(string Host, int Port)
{
    /// <summary>Parses <c>HOST:PORT</c>.</summary>
    /// <param name="text">The address.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">The text is not <c>HOST:PORT</c> with a port from 1 to 65535; the message says why.</exception>
    public static NodeAddress Parse(string text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException(error);

    /// <summary>Parses <c>HOST:PORT</c>.</summary>
    /// <param name="text">The address.</param>
    /// <param name="address">The address, when it parses.</param>
    /// <param name="error">Why it does not parse (for example "expected HOST:PORT, e.g. 127.0.0.1:9999").</param>
    /// <returns>Whether it parses.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NodeAddress? address, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        address = null;
        error = null;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1)
        {
            error = "expected HOST:PORT, e.g. 127.0.0.1:9999";
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!IPAddress.TryParse(host, out _))
            {
                error = $"'{host}' is not an IPv6 address";
                return false;
            }
        }
        else if (host.Contains(':'))
        {
            error = "write an IPv6 host in brackets, e.g. [::1]:9999";
            return false;
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            error = "the host is empty or contains spaces";
            return false;
        }

        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"the port '{portText}' is not a number from 1 to 65535";
            return false;
        }

        address = new NodeAddress(host, port);
        return true;
    }

    /// <summary>The endpoint to connect to: an <see cref="IPEndPoint"/> for an address, a <see cref="DnsEndPoint"/> for a name.</summary>
    public EndPoint ToEndPoint() => IPAddress.TryParse(Host, out var ip) ? new IPEndPoint(ip, Port) : new DnsEndPoint(Host, Port);

    /// <inheritdoc />
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
