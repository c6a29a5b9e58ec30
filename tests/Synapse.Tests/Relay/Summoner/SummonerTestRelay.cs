using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Synapse.Relay.Summoner;

namespace Synapse.Tests.Relay.Summoner;

/// <summary>
/// A Summoner relay as the Python server behaves: each line a client sends (minus its <c>\n</c>) goes to every other
/// client wrapped with <see cref="SummonerWire.FormatRelayLine"/>; invalid UTF-8 disconnects the sender; a closing
/// client is sent <c>Warning: Server disconnected.</c> without newline.
/// </summary>
internal sealed class SummonerTestRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ConcurrentDictionary<Peer, byte> _peers = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _accepted;

    private SummonerTestRelay(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Clients connected now.</summary>
    public int ClientCount => _peers.Count;

    /// <summary>When set, each new connection is closed at once.</summary>
    public bool CloseOnAccept { get; set; }

    /// <summary>Every line received from clients, with its <c>\n</c>, in arrival order.</summary>
    public ConcurrentQueue<byte[]> Received { get; } = new();

    public static SummonerTestRelay Start(int port = 0) => new(port);

    /// <summary>Writes raw bytes to every client.</summary>
    public async Task BroadcastRawAsync(byte[] bytes)
    {
        foreach (var peer in _peers.Keys)
        {
            await peer.WriteAsync(bytes);
        }
    }

    /// <summary>Disconnects every client (sending the Python server's warning first); keeps listening.</summary>
    public async Task DropClientsAsync()
    {
        foreach (var peer in _peers.Keys)
        {
            await CloseAsync(peer);
        }
    }

    private async Task CloseAsync(Peer peer)
    {
        _peers.TryRemove(peer, out _);
        await peer.CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Stop();
        await DropClientsAsync();
        await _accepting;
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            if (CloseOnAccept)
            {
                socket.Dispose();
                continue;
            }

            var peer = new Peer(socket);
            _peers[peer] = 0;
            _ = Task.Run(() => ServeAsync(peer));
        }
    }

    private async Task ServeAsync(Peer peer)
    {
        var address = SummonerWire.FormatRemoteAddress((IPEndPoint)peer.Socket.RemoteEndPoint!);
        var reader = PipeReader.Create(peer.Stream);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } newline)
                {
                    var line = buffer.Slice(0, newline).ToArray();
                    buffer = buffer.Slice(buffer.GetPosition(1, newline));
                    if (!await RelayAsync(peer, address, line, withNewline: true))
                    {
                        return;
                    }
                }

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        await RelayAsync(peer, address, buffer.ToArray(), withNewline: false);
                    }

                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            await CloseAsync(peer);
        }
    }

    private async Task<bool> RelayAsync(Peer sender, string address, byte[] line, bool withNewline)
    {
        Received.Enqueue(withNewline ? [.. line, (byte)'\n'] : line);
        if (!SummonerWire.TryFormatRelayLine(address, line, out var envelope))
        {
            return false;
        }

        foreach (var peer in _peers.Keys.Where(p => p != sender))
        {
            await peer.WriteAsync(envelope);
        }

        return true;
    }

    private sealed class Peer(Socket socket)
    {
        private readonly SemaphoreSlim _writing = new(1, 1);
        private int _closed;

        public Socket Socket { get; } = socket;

        public NetworkStream Stream { get; } = new(socket, ownsSocket: true);

        public async Task WriteAsync(byte[] bytes)
        {
            await _writing.WaitAsync();
            try
            {
                await Stream.WriteAsync(bytes);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                _writing.Release();
            }
        }

        public async Task CloseAsync()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0)
            {
                return;
            }

            await WriteAsync(Encoding.ASCII.GetBytes("Warning: Server disconnected."));
            Stream.Dispose();
        }
    }
}
