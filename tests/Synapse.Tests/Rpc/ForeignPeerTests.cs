using System.Net;
using System.Net.Sockets;
using System.Text;
using Synapse.Client;
using Synapse.Rpc;

namespace Synapse.Tests.Rpc;

/// <summary>A client pointed at a server of another protocol says so, instead of reporting a huge frame.</summary>
public sealed class ForeignPeerTests
{
    [Theory]
    [InlineData(LinkSecurity.Auto, ConnectionMode.Auto)]
    [InlineData(LinkSecurity.Disabled, ConnectionMode.Auto)]
    [InlineData(LinkSecurity.Disabled, ConnectionMode.PerCall)]
    [InlineData(LinkSecurity.Required, ConnectionMode.Auto)]
    public async Task An_http_server_is_named_as_not_a_synapse_peer(LinkSecurity security, ConnectionMode mode)
    {
        await using var http = TextServer.Start("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        await using var client = new SynapseClient("127.0.0.1", http.Port, new SynapseClientOptions { Security = security, Mode = mode });

        var error = await Assert.ThrowsAsync<NotSynapsePeerException>(() => client.PingAsync());

        Assert.Equal(RpcErrorCodes.ProtocolError, error.Code);
        Assert.Equal("HTTP/1.1 400 Bad Request", error.Answer);
        Assert.Contains($"127.0.0.1:{http.Port} is not a Synapse peer (it answered \"HTTP/1.1 400 Bad Request\")", error.Message);
        Assert.DoesNotContain("frame too large", error.Message);
    }

    [Fact]
    public async Task Non_printable_bytes_of_a_banner_are_shown_as_question_marks()
    {
        await using var banner = TextServer.Start("SSH-2.0-Open\u0001SSH\r\n");
        await using var client = new SynapseClient("127.0.0.1", banner.Port, new SynapseClientOptions { Security = LinkSecurity.Disabled });

        var error = await Assert.ThrowsAsync<NotSynapsePeerException>(() => client.PingAsync());

        Assert.Equal("SSH-2.0-Open?SSH", error.Answer);
    }

    [Fact]
    public async Task A_binary_length_over_the_limit_is_still_a_frame_too_large()
    {
        await using var huge = TextServer.Start("\u0000\u00ff\u00ff\u00ffxyz", Encoding.Latin1);
        await using var client = new SynapseClient("127.0.0.1", huge.Port, new SynapseClientOptions { Security = LinkSecurity.Disabled });

        var error = await Assert.ThrowsAsync<RpcException>(() => client.PingAsync());

        Assert.IsNotType<NotSynapsePeerException>(error);
        Assert.Contains("frame too large: 16777215 > ", error.Message);
    }

    /// <summary>Answers every connection with fixed bytes as soon as it has read something, then closes it.</summary>
    private sealed class TextServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _loop;

        private TextServer(TcpListener listener, byte[] answer)
        {
            _listener = listener;
            _loop = Task.Run(async () =>
            {
                while (true)
                {
                    Socket socket;
                    try
                    {
                        socket = await _listener.AcceptSocketAsync();
                    }
                    catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) // stopped
                    {
                        return;
                    }

                    using (socket)
                    {
                        try
                        {
                            await socket.ReceiveAsync(new byte[4096]);
                            await socket.SendAsync(answer);
                            socket.Shutdown(SocketShutdown.Send);
                            while (await socket.ReceiveAsync(new byte[4096]) > 0)
                            {
                            }
                        }
                        catch (SocketException)
                        {
                        }
                    }
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static TextServer Start(string answer, Encoding? encoding = null)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new TextServer(listener, (encoding ?? Encoding.ASCII).GetBytes(answer));
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _loop;
        }
    }
}
