using System.IO.Pipelines;
using System.Net;

namespace Synapse.Transport;

/// <summary>
/// A byte stream between two nodes. The RPC layer reads and writes length-prefixed frames over <see cref="Pipe"/>;
/// secure links wrap another connection and expose the decrypted stream the same way.
/// </summary>
public interface ITransportConnection : IAsyncDisposable
{
    /// <summary>The duplex byte stream.</summary>
    IDuplexPipe Pipe { get; }

    /// <summary>The remote address, when the transport has one.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>The local address, when the transport has one.</summary>
    EndPoint? LocalEndPoint { get; }

    /// <summary>The authenticated agent id of the peer, on transports that authenticate; otherwise <c>null</c>.</summary>
    string? PeerId { get; }

    /// <summary>Closes the connection at once, failing pending reads and writes.</summary>
    void Abort();
}

/// <summary>Accepts incoming connections.</summary>
public interface ITransportListener : IAsyncDisposable
{
    /// <summary>The address the listener is bound to (with the actual port when bound to port 0).</summary>
    EndPoint LocalEndPoint { get; }

    /// <summary>Waits for the next connection; returns <c>null</c> once the listener is closed.</summary>
    ValueTask<ITransportConnection?> AcceptAsync(CancellationToken cancellationToken = default);
}

/// <summary>Opens outgoing connections.</summary>
public interface ITransportConnector
{
    /// <summary>Connects to <paramref name="endPoint"/>.</summary>
    ValueTask<ITransportConnection> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken = default);
}
