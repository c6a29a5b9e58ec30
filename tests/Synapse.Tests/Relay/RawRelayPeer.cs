using System.Net;
using Synapse.Crypto.Noise;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Server;
using Synapse.Rpc;
using Synapse.Transport;
using Synapse.Transport.Framing;
using Synapse.Transport.Secure;

namespace Synapse.Tests.Relay;

/// <summary>A hand-driven relay connection: the tests write frames and read what the relay answers.</summary>
internal sealed class RawRelayPeer : IAsyncDisposable
{
    private readonly ITransportConnection _link;
    private readonly NoiseStaticCredential _credential;

    private RawRelayPeer(ITransportConnection link, NoiseStaticCredential credential)
    {
        _link = link;
        _credential = credential;
    }

    public static async Task<RawRelayPeer> ConnectAsync(RelayServer relay, AgentIdentity identity, IPAddress? localAddress = null)
    {
        var credential = NoiseStaticCredential.Create(identity);
        var connection = await new TcpTransport(localAddress).ConnectAsync(relay.LocalEndPoint);
        var (link, _) = await SecureLink.ConnectAsync(connection, credential, relay.Id, CancellationToken.None);
        return new RawRelayPeer(link ?? throw new InvalidOperationException("no secure link"), credential);
    }

    public async Task SendAsync(RelayFrame frame) => await _link.Pipe.Output.WriteAsync(frame.Encode());

    public async Task SendRawAsync(byte[] bytes) => await _link.Pipe.Output.WriteAsync(bytes);

    /// <summary>The next frame, or null when the relay closed the link.</summary>
    public async Task<RelayFrame?> ReadAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            var body = await Frames.ReadOneAsync(_link.Pipe.Input, 16 * 1024 * 1024, cancel.Token);
            return body is null ? null : RelayFrame.Decode(new(body));
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    /// <summary>Reads frames until one with <paramref name="op"/>; fails if the link closes first.</summary>
    public async Task<RelayFrame> ReadUntilAsync(RelayOp op)
    {
        while (true)
        {
            var frame = await ReadAsync() ?? throw new InvalidOperationException($"the relay closed the link before sending {op}");
            if (frame.Op == op)
            {
                return frame;
            }
        }
    }

    /// <summary>Reads every frame until the relay closes the link.</summary>
    public async Task<List<RelayFrame>> ReadToEndAsync()
    {
        var frames = new List<RelayFrame>();
        while (await ReadAsync() is { } frame)
        {
            frames.Add(frame);
        }

        return frames;
    }

    public async ValueTask DisposeAsync()
    {
        await _link.DisposeAsync();
        _credential.Dispose();
    }
}
