using System.Net;
using Microsoft.Extensions.Logging;

namespace Synapse.Client;

/// <summary>
/// The log lines of <see cref="SynapseClient"/> (event ids 100–199): how each peer was negotiated, a lost connection,
/// a renegotiation, a timed-out call. Nothing is logged on the path of a successful call.
/// </summary>
internal static partial class ClientLog
{
    [LoggerMessage(100, LogLevel.Information, "Connected to {Peer}: multiplexed over a {Link} link, peer agent {PeerAgent}")]
    public static partial void Multiplexed(ILogger logger, EndPoint peer, string link, string peerAgent);

    [LoggerMessage(101, LogLevel.Information, "Connected to {Peer}: it serves one request per connection (synapse-p2p); calls go one per connection over {Link} links")]
    public static partial void PerCall(ILogger logger, EndPoint peer, string link);

    [LoggerMessage(102, LogLevel.Warning, "The multiplexed connection to {Peer} was lost; the next call negotiates again")]
    public static partial void ConnectionLost(ILogger logger, Exception exception, EndPoint peer);

    [LoggerMessage(103, LogLevel.Information, "Reconnecting to {Peer}: negotiating a new connection")]
    public static partial void Reconnecting(ILogger logger, EndPoint peer);

    [LoggerMessage(104, LogLevel.Debug, "Call {Endpoint} to {Peer} timed out after {Timeout}")]
    public static partial void CallTimedOut(ILogger logger, string endpoint, EndPoint peer, TimeSpan timeout);

    [LoggerMessage(105, LogLevel.Debug, "{Peer} answered the secure handshake in plaintext (a synapse-p2p node); calls to it go in plaintext")]
    public static partial void PlaintextFallback(ILogger logger, EndPoint peer);

    /// <summary>How a link is described in the lines above.</summary>
    public static string Link(bool secure) => secure ? "secure (Noise)" : "plaintext";
}
