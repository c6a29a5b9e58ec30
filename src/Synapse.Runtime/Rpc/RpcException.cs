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
