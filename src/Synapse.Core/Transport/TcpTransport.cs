using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Synapse.Transport;

/// <summary>Plain TCP connections (what synapse-p2p speaks).</summary>
public sealed class TcpTransport : ITransportConnector
{
    /// <summary>A shared connector that lets the system choose the local address.</summary>
    public static TcpTransport Instance { get; } = new();

    /// <summary>Creates a connector.</summary>
    /// <param name="localAddress">The local address outgoing connections bind to (for hosts with several
    /// addresses); <c>null</c> lets the system choose.</param>
    public TcpTransport(IPAddress? localAddress = null) => LocalAddress = localAddress;

    /// <summary>The local address outgoing connections bind to, if set.</summary>
    public IPAddress? LocalAddress { get; }

    /// <summary>Binds a listener to <paramref name="endPoint"/> (port 0 picks a free port).</summary>
    public static ITransportListener Listen(IPEndPoint endPoint, int backlog = 512)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endPoint);
            socket.Listen(backlog);
            return new TcpListenerAdapter(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<ITransportConnection> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken = default)
    {
        var socket = endPoint is DnsEndPoint
            ? new Socket(SocketType.Stream, ProtocolType.Tcp)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            if (LocalAddress is not null)
            {
                socket.Bind(new IPEndPoint(LocalAddress, 0));
            }

            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new TcpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class TcpListenerAdapter(Socket socket) : ITransportListener
    {
        public EndPoint LocalEndPoint { get; } = socket.LocalEndPoint!;

        public async ValueTask<ITransportConnection?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                var accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                accepted.NoDelay = true;
                return new TcpConnection(accepted);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
            {
                return null;
            }
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>A TCP socket exposed as a duplex pipe.</summary>
internal sealed class TcpConnection : ITransportConnection, IDuplexPipe
{
    private static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(1);
    private const int MaxLingerBytes = 256 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private int _disposed;

    public TcpConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true, useZeroByteReads: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        RemoteEndPoint = socket.RemoteEndPoint;
        LocalEndPoint = socket.LocalEndPoint;
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public IDuplexPipe Pipe => this;

    public EndPoint? RemoteEndPoint { get; }

    public EndPoint? LocalEndPoint { get; }

    public string? PeerId => null;

    public void Abort()
    {
        try
        {
            _socket.Close(0);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        await Input.CompleteAsync().ConfigureAwait(false);
        await LingerAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Sends end-of-stream, then reads and discards what the peer still sends until it closes too (bounded in time
    /// and bytes). Closing a socket with unread input resets the connection, and a reset can make the peer's system
    /// drop the last bytes written to it before the peer reads them.
    /// </summary>
    private async Task LingerAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            using var timeout = new CancellationTokenSource(LingerTime);
            for (var drained = 0; drained < MaxLingerBytes;)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                drained += read;
            }
        }
        catch (Exception e) when (LinkLoss.Is(e) || e is OperationCanceledException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
