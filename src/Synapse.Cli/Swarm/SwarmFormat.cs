using System.Globalization;
using Synapse.Discovery.Lan;
using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Cli.Swarm;

/// <summary>Peers, times and ids as the <c>swarm</c> commands print them, for people and as JSON.</summary>
internal static class SwarmFormat
{
    /// <summary>How many leading characters of an id or nonce are shown in text: enough to tell peers apart.</summary>
    private const int ShortIdLength = 8;

    /// <summary>A peer for people: its name (or "-") and short id, e.g. <c>python (1a2b3c4d)</c>.</summary>
    public static string Peer(SwarmPeer peer) => Peer(peer.Name, peer.Id);

    /// <summary>A node announced on the LAN for people, as a <see cref="SwarmPeer"/>: its name (or "-") and short id.</summary>
    public static string Peer(LanAnnouncement peer) => Peer(peer.Name, peer.Id);

    private static string Peer(string? name, string id) => $"{(string.IsNullOrEmpty(name) ? "-" : name)} ({ShortId(id)})";

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
    public static MsgPackValue PeerJson(SwarmPeer peer) =>
        PeerJson(peer.Id, peer.Name, peer.Address, peer.Port, peer.Kind, peer.Capabilities);

    /// <summary>A node announced on the LAN as JSON: a <see cref="SwarmPeer"/>'s fields with its host before the capabilities.</summary>
    public static MsgPackValue PeerJson(LanAnnouncement peer) =>
        PeerJson(peer.Id, peer.Name, peer.Address, peer.Port, peer.Kind, peer.Capabilities, ("host", peer.Host));

    /// <summary>The fields of <see cref="PeerJson(SwarmPeer)"/>, with <paramref name="extra"/> before the capabilities.</summary>
    private static MsgPackValue PeerJson(string id, string? name, string address, int port, string kind, IReadOnlyList<string> capabilities, params ReadOnlySpan<(string Key, MsgPackValue Value)> extra) =>
        MsgPackValue.Map(
        [
            ("id", id),
            ("name", name),
            ("address", address),
            ("port", port),
            ("kind", kind),
            .. extra,
            ("capabilities", MsgPackValue.FromArray(capabilities.Select(c => (MsgPackValue)c))),
        ]);
}
