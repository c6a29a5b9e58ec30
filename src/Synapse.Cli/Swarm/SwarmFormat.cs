using System.Globalization;
using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Cli.Swarm;

/// <summary>Peers, times and ids as the <c>swarm</c> commands print them, for people and as JSON.</summary>
internal static class SwarmFormat
{
    /// <summary>How many leading characters of an id or nonce are shown in text: enough to tell peers apart.</summary>
    private const int ShortIdLength = 8;

    /// <summary>A peer for people: its name (or "-") and short id, e.g. <c>python (1a2b3c4d)</c>.</summary>
    public static string Peer(SwarmPeer peer) => $"{(string.IsNullOrEmpty(peer.Name) ? "-" : peer.Name)} ({ShortId(peer.Id)})";

    /// <summary>The first characters of an id.</summary>
    public static string ShortId(string id) => id.Length <= ShortIdLength ? id : id[..ShortIdLength];

    /// <summary>A time in seconds since the Unix epoch as local <c>HH:mm:ss</c>.</summary>
    public static string Clock(double unixSeconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(unixSeconds * 1000)).ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>How long ago <paramref name="then"/> was, e.g. <c>3s</c>, <c>2m</c>, <c>1h</c>.</summary>
    public static string Ago(double now, double then)
    {
        var seconds = Math.Max(0, now - then);
        return seconds switch
        {
            < 60 => $"{(long)seconds}s",
            < 3600 => $"{(long)(seconds / 60)}m",
            _ => $"{(long)(seconds / 3600)}h",
        };
    }

    /// <summary>A peer as JSON: id, name, address, port, kind, capabilities.</summary>
    public static MsgPackValue PeerJson(SwarmPeer peer) => MsgPackValue.Map(
        ("id", peer.Id),
        ("name", peer.Name),
        ("address", peer.Address),
        ("port", peer.Port),
        ("kind", peer.Kind),
        ("capabilities", MsgPackValue.FromArray(peer.Capabilities.Select(c => (MsgPackValue)c))));
}
