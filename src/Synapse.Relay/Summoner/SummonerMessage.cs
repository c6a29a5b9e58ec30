using System.Text.Json.Nodes;

namespace Synapse.Relay.Summoner;

/// <summary>
/// A line received from a Summoner relay: either a relayed message (<c>{"remote_addr", "content"}</c>) or a server
/// notice (plain text such as <c>Warning: Server disconnected.</c>).
/// </summary>
public sealed class SummonerMessage
{
    private SummonerMessage(string? remoteAddress, JsonNode? content, string? version, string text, bool isNotice)
    {
        RemoteAddress = remoteAddress;
        Content = content;
        Version = version;
        Text = text;
        IsNotice = isNotice;
    }

    /// <summary>The sender's address as the relay wrote it (<c>ip:port</c> or <c>[ip]:port</c>); null for a notice.</summary>
    public string? RemoteAddress { get; }

    /// <summary>
    /// What was sent: the typed wrapper's payload; otherwise the line parsed once as JSON; otherwise the line as a JSON
    /// string. Null for a notice (and for a JSON <c>null</c>). The node is shared by every handler of the message.
    /// </summary>
    public JsonNode? Content { get; }

    /// <summary>The <c>_version</c> of a typed wrapper (any version is accepted), or null when the content was not one.</summary>
    public string? Version { get; }

    /// <summary>Whether the content was a typed wrapper (<c>_version</c>, <c>_payload</c>, <c>_type</c>).</summary>
    public bool IsTyped => Version is not null;

    /// <summary>Whether the line was a server notice rather than a relayed message.</summary>
    public bool IsNotice { get; }

    /// <summary>For a notice, its text; for a relayed message, the sender's line exactly as the relay carried it.</summary>
    public string Text { get; }

    internal static SummonerMessage Relayed(string remoteAddress, JsonNode? content, string? version, string text) =>
        new(remoteAddress, content, version, text, isNotice: false);

    internal static SummonerMessage Notice(string text) => new(null, null, null, text, isNotice: true);

    /// <inheritdoc />
    public override string ToString() => IsNotice
        ? $"SummonerNotice({Text})"
        : $"SummonerMessage(from {RemoteAddress}{(IsTyped ? $", v{Version}" : "")}: {Content?.ToJsonString() ?? "null"})";
}
