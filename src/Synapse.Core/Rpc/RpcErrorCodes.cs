namespace Synapse.Rpc;

/// <summary>Error codes carried in <c>error.code</c> of a response.</summary>
/// <remarks>synapse-p2p knows only <see cref="BadRequest"/> and <see cref="InternalError"/>; the others are
/// produced by Synapse clients and hosts and never sent to a peer that did not negotiate them.</remarks>
public static class RpcErrorCodes
{
    /// <summary>The request could not be understood: framing, decoding, unknown endpoint or fields.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The endpoint failed: an exception in the handler or in binding its arguments.</summary>
    public const string InternalError = "internal_error";

    /// <summary>The call was cancelled by its caller (sent only on negotiated Synapse links).</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The call did not complete within its timeout (raised by the client).</summary>
    public const string Timeout = "timeout";

    /// <summary>The connection failed or closed before a response arrived (raised by the client).</summary>
    public const string ConnectionFailed = "connection_failed";

    /// <summary>The peer sent a response that breaks the protocol (raised by the client).</summary>
    public const string ProtocolError = "protocol_error";

    /// <summary>The caller's agent id may not call this endpoint (sent only over secure links).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>A secure handshake failed: bad message, bad identity proof, or not the pinned peer (raised by the client).</summary>
    public const string AuthenticationFailed = "authentication_failed";

    /// <summary>The host is shutting down or over its connection limit.</summary>
    public const string Unavailable = "unavailable";
}
