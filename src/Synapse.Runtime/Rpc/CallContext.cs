using System.Net;

namespace Synapse.Rpc;

/// <summary>
/// What a handler may know about the call it serves. Declare a parameter of this type on an endpoint to receive it;
/// like <see cref="System.Threading.CancellationToken"/> it is bound by the runtime, not sent on the wire.
/// </summary>
public sealed class CallContext
{
    internal CallContext(string endpoint, string requestId, EndPoint? remoteEndPoint, string? peerId, CancellationToken cancellationToken)
    {
        Endpoint = endpoint;
        RequestId = requestId;
        RemoteEndPoint = remoteEndPoint;
        PeerId = peerId;
        CancellationToken = cancellationToken;
    }

    /// <summary>The endpoint name that was called.</summary>
    public string Endpoint { get; }

    /// <summary>The request id chosen by the caller.</summary>
    public string RequestId { get; }

    /// <summary>The caller's network address, when the transport has one.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The caller's authenticated agent id on secure links; <c>null</c> on plaintext links.</summary>
    public string? PeerId { get; }

    /// <summary>Cancelled when the caller cancels, disconnects, or the host stops.</summary>
    public CancellationToken CancellationToken { get; }
}
