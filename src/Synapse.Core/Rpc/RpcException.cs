namespace Synapse.Rpc;

/// <summary>
/// An RPC failure carrying the wire error code. Thrown by clients when a call fails, and by handlers that want
/// to answer with a specific code and message (anything else a handler throws becomes <c>internal_error</c>).
/// </summary>
public class RpcException : Exception
{
    /// <summary>Creates an RPC exception.</summary>
    /// <param name="code">The error code, see <see cref="RpcErrorCodes"/>.</param>
    /// <param name="message">The error message sent on the wire.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RpcException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(code);
        Code = code;
    }

    /// <summary>The error code, for example <c>bad_request</c> or <c>internal_error</c>.</summary>
    public string Code { get; }

    /// <summary>The endpoint that was called, when known.</summary>
    public string? Endpoint { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name} [{Code}]: {Message}";
}

/// <summary>A call that did not complete within its timeout.</summary>
public sealed class RpcTimeoutException : RpcException
{
    /// <summary>Creates the exception.</summary>
    public RpcTimeoutException(string endpoint, TimeSpan timeout)
        : base(RpcErrorCodes.Timeout, $"call to '{endpoint}' timed out after {timeout.TotalSeconds:0.###} s")
    {
        Endpoint = endpoint;
        Timeout = timeout;
    }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}

/// <summary>
/// The peer speaks another protocol: its first bytes were text (an HTTP status line, a mail or SSH banner) where a
/// Synapse or synapse-p2p node sends a 4-byte frame length. Usually a wrong host or port.
/// </summary>
public sealed class NotSynapsePeerException : RpcException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="answer">The start of what the peer sent, printable ASCII.</param>
    /// <param name="peer">The peer's address, when known.</param>
    public NotSynapsePeerException(string answer, string? peer = null)
        : base(RpcErrorCodes.ProtocolError, $"{(peer is null ? "" : peer + " is ")}not a Synapse peer (it answered \"{answer}\"): check the host and port")
    {
        Answer = answer;
    }

    /// <summary>The start of what the peer sent (its first line, at most 80 characters, non-printable bytes as '?').</summary>
    public string Answer { get; }
}
