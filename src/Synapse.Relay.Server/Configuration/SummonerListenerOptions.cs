namespace Synapse.Relay.Configuration;

/// <summary>The optional listener for Summoner's newline-JSON protocol (<c>summoner</c>).</summary>
public sealed record SummonerListenerOptions
{
    /// <summary>Whether the listener runs (<c>enabled</c>).</summary>
    public bool Enabled { get; init; }

    /// <summary>The address it listens on (<c>host</c>); null for the relay's own host.</summary>
    public string? Host { get; init; }

    /// <summary>Its port (<c>port</c>); 0 picks a free one.</summary>
    public int Port { get; init; } = 8889;

    /// <summary>
    /// The longest line a client may send, in bytes as sent, without the newline (<c>max_line_bytes</c>). A longer line
    /// disconnects the client. The relayed envelope escapes the line and may be longer.
    /// </summary>
    public int MaxLineBytes { get; init; } = 64 * 1024;

    internal void Validate()
    {
        RelayOptions.Check(Port is >= 0 and <= 65535, "summoner.port", "must be between 0 and 65535");
        RelayOptions.Check(MaxLineBytes >= 16, "summoner.max_line_bytes", "must be at least 16");
    }
}
