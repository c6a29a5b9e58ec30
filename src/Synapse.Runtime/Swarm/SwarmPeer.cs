using Synapse.MessagePack;

namespace Synapse.Swarm;

/// <summary>
/// A member of a synapse-p2p v2 swarm: the Peer map of the wire protocol,
/// <c>{id, address, port, swarm, team, name, kind, capabilities, last_seen}</c>, keys in that order.
/// </summary>
/// <param name="Id">The node id (64 hex digits on synapse-p2p).</param>
/// <param name="Address">The address other nodes dial.</param>
/// <param name="Port">The TCP port other nodes dial.</param>
public sealed record SwarmPeer(string Id, string Address, int Port)
{
    /// <summary>The swarm the peer belongs to; <c>null</c> for none.</summary>
    public string? Swarm { get; init; }

    /// <summary>The peer's team; <c>null</c> (synapse-p2p's decoding default) fails membership of a node with a team.</summary>
    public string? Team { get; init; }

    /// <summary>The peer's display name, if any.</summary>
    public string? Name { get; init; }

    /// <summary><c>node</c> or <c>bootstrap</c>.</summary>
    public string Kind { get; init; } = SwarmPeerKinds.Node;

    /// <summary>The names of the peer's capabilities.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>When the peer was last heard from, in seconds since the Unix epoch.</summary>
    public double LastSeen { get; init; }

    /// <summary>Encodes the peer as synapse-p2p's Peer map.</summary>
    public MsgPackValue ToMsgPack() => MsgPackValue.FromMap(new KeyValuePair<string, MsgPackValue>[]
    {
        new("id", Id),
        new("address", Address),
        new("port", Port),
        new("swarm", Swarm),
        new("team", Team),
        new("name", Name),
        new("kind", Kind),
        new("capabilities", MsgPackValue.FromArray(Capabilities.Select(c => MsgPackValue.From(c)))),
        new("last_seen", LastSeen),
    });

    /// <summary>Decodes a Peer map as synapse-p2p's <c>Peer(**data)</c> does: unknown keys and bad kinds are refused.</summary>
    /// <exception cref="SwarmPeerFormatException">The value is not a valid Peer map; the message is synapse-p2p's.</exception>
    public static SwarmPeer FromMsgPack(MsgPackValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Type != MsgPackType.Map)
        {
            throw new SwarmPeerFormatException($"Peer must be a map, not {value.Type}");
        }

        string? id = null, address = null, swarm = null, team = null, name = null, kind = null;
        int? port = null;
        double lastSeen = 0;
        IReadOnlyList<string> capabilities = [];
        foreach (var (keyValue, item) in value.AsMap())
        {
            var key = keyValue.Type == MsgPackType.String ? keyValue.AsString() : keyValue.ToString();
            switch (key)
            {
                case "id": id = Text(item, key); break;
                case "address": address = Text(item, key); break;
                case "port": port = Integer(item); break;
                case "swarm": swarm = OptionalText(item, key); break;
                case "team": team = OptionalText(item, key); break;
                case "name": name = OptionalText(item, key); break;
                case "kind": kind = OptionalText(item, key); break;
                case "capabilities": capabilities = Names(item); break;
                case "last_seen": lastSeen = Number(item); break;
                default: throw new SwarmPeerFormatException($"Peer.__init__() got an unexpected keyword argument '{key}'");
            }
        }

        var missing = new[] { (id, "'id'"), (address, "'address'"), (port?.ToString(System.Globalization.CultureInfo.InvariantCulture), "'port'") }
            .Where(field => field.Item1 is null).Select(field => field.Item2).ToList();
        if (missing.Count > 0)
        {
            throw new SwarmPeerFormatException($"Peer.__init__() missing {missing.Count} required positional argument{(missing.Count > 1 ? "s" : "")}: {string.Join(" and ", missing)}");
        }

        kind ??= SwarmPeerKinds.Node;
        if (!SwarmPeerKinds.IsValid(kind))
        {
            throw new SwarmPeerFormatException($"'{kind}' is not a valid NodeKind");
        }

        return new SwarmPeer(id!, address!, port!.Value)
        {
            Swarm = swarm, Team = team, Name = name, Kind = kind, Capabilities = capabilities, LastSeen = lastSeen,
        };
    }

    private static string Text(MsgPackValue value, string key) =>
        value.Type == MsgPackType.String ? value.AsString() : throw new SwarmPeerFormatException($"Peer {key} must be a string");

    private static string? OptionalText(MsgPackValue value, string key) => value.IsNil ? null : Text(value, key);

    private static int Integer(MsgPackValue value) =>
        value.Type == MsgPackType.Integer && value.AsDouble() is >= 0 and <= 65535 and var port // AsDouble: a uint64 above long's range is no port either
            ? (int)port
            : throw new SwarmPeerFormatException("Peer port must be an integer from 0 to 65535");

    private static double Number(MsgPackValue value) => value.Type switch
    {
        MsgPackType.Float or MsgPackType.Integer => value.AsDouble(),
        MsgPackType.Nil => 0,
        _ => throw new SwarmPeerFormatException("Peer last_seen must be a number"),
    };

    private static string[] Names(MsgPackValue value) => value.IsNil
        ? []
        : value.Type == MsgPackType.Array
            ? value.AsArray().Select(c => Text(c, "capability")).ToArray()
            : throw new SwarmPeerFormatException("Peer capabilities must be a list");
}

/// <summary>The values of a peer's <see cref="SwarmPeer.Kind"/>.</summary>
public static class SwarmPeerKinds
{
    /// <summary>An ordinary node.</summary>
    public const string Node = "node";

    /// <summary>A node that exists to be a seed (no behavioural difference on synapse-p2p).</summary>
    public const string Bootstrap = "bootstrap";

    /// <summary>Whether <paramref name="kind"/> is one of the two kinds.</summary>
    public static bool IsValid(string? kind) => kind is Node or Bootstrap;
}

/// <summary>A Peer map that synapse-p2p would refuse; answered as <c>internal_error</c> with this message, as it does.</summary>
public sealed class SwarmPeerFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SwarmPeerFormatException()
    {
    }

    /// <summary>Creates the exception with synapse-p2p's message.</summary>
    public SwarmPeerFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SwarmPeerFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
