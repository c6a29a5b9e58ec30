using Synapse.Client;
using Synapse.MessagePack;

namespace Synapse.Cli.Commands;

/// <summary>What <c>inspect</c> learned about a node; a built-in the node does not serve is <c>null</c>.</summary>
internal sealed record NodeReport(
    NodeAddress Address,
    string? PeerId,
    ConnectionMode? Mode,
    MsgPackValue? Info,
    MsgPackValue? Methods,
    MsgPackValue? Capabilities)
{
    /// <summary>The link in words: secure or plaintext, multiplexed or one connection per call.</summary>
    public string Link => (PeerId is null ? "plaintext" : "secure") + (Mode == ConnectionMode.Multiplexed ? ", multiplexed" : ", one connection per call");

    /// <summary>The report as one object: <c>{address, peer_id, link, info, methods, capabilities}</c>.</summary>
    public MsgPackValue ToJson() => MsgPackValue.FromMap(new List<KeyValuePair<string, MsgPackValue>>
    {
        new("address", Address.ToString()),
        new("peer_id", PeerId),
        new("link", Link),
        new("info", Info ?? MsgPackValue.Nil),
        new("methods", Methods ?? MsgPackValue.Nil),
        new("capabilities", Capabilities ?? MsgPackValue.Nil),
    });
}
