using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Synapse.Client;
using Synapse.Rpc;
using Synapse.Transport;

namespace Synapse.Tests.Rpc;

/// <summary>
/// Connections that send nothing (issue 14, finding 2): they must not lock real callers out of a host. A real caller
/// is one that sent a complete first frame or finished the secure handshake.
/// </summary>
public sealed class SilentConnectionTests
{
    /// <summary>What the audit opened against a host with the default <c>MaxConnections</c> of 1,024.</summary>
    private const int AuditSilentConnections = 1_100;

    /// <summary>
    /// How long the real call may take. The issue asks for a second; this is generous for a loaded 2-core machine and
    /// still far below any timeout (the 10 s handshake deadline, the 2 min idle one) that would free the host by itself.
    /// </summary>
    private static readonly TimeSpan RealCallDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_real_caller_gets_through_1100_silent_connections()
    {
        await using var host = await TestHost.StartAsync();
        var count = SilentConnectionBudget(AuditSilentConnections);
        var silent = await OpenSilentAsync(host.Port, count);
        try
        {
            await WireCompatibilityTests.WaitUntilAsync(() => host.Host.ConnectionCount >= Math.Min(count, 1024));

            // A Synapse client: secure handshake, then hello and ping on a multiplexed connection.
            await using var client = new SynapseClient("127.0.0.1", host.Port);
            Assert.Equal("pong", await client.PingAsync().WaitAsync(RealCallDeadline));

            // A synapse-p2p peer: one plaintext request, no handshake.
            var response = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame("""{"endpoint":"_synapse.ping","id":"p"}"""), timeout: RealCallDeadline));
            Assert.Equal("pong", response["result"]!.AsString());
        }
        finally
        {
            Close(silent);
        }
    }

    [Fact]
    public async Task At_the_pending_limit_a_new_connection_sheds_the_oldest_that_proved_nothing()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxPendingConnections = 2);
        await using var proved = new SynapseClient("127.0.0.1", host.Port);
        Assert.Equal("pong", await proved.PingAsync());

        var silent = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                silent.AddRange(await OpenSilentAsync(host.Port, 1));
                await WireCompatibilityTests.WaitUntilAsync(() => host.Host.ConnectionCount == 1 + Math.Min(i + 1, 2));
            }

            Assert.Empty(await RawSocket.ReadToEndAsync(silent[0], TimeSpan.FromSeconds(10))); // closed by the host
            Assert.Equal(2, host.Host.Admission.Pending);

            // The two newer ones are still served, and so is the caller that proved itself before them all.
            foreach (var socket in silent[1..])
            {
                await socket.SendAsync(RawSocket.Frame("""{"endpoint":"_synapse.ping","id":"p"}"""));
                Assert.Equal("pong", RawSocket.Single(await RawSocket.ReadToEndAsync(socket, TimeSpan.FromSeconds(10)))["result"]!.AsString());
            }

            Assert.Equal("pong", await proved.PingAsync());
            await WireCompatibilityTests.WaitUntilAsync(() => host.Host.Admission.Proved == 1); // the plaintext calls' connections close
        }
        finally
        {
            Close(silent);
        }
    }

    [Fact]
    public async Task Proved_callers_still_meet_the_connection_limit_over_plaintext_too()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxConnections = 1);
        await using var occupant = new SynapseClient("127.0.0.1", host.Port);
        await occupant.PingAsync();
        var silent = await OpenSilentAsync(host.Port, 8);
        try
        {
            var response = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame("""{"endpoint":"_synapse.ping","id":"p"}""")));

            Assert.Equal("server busy: connection limit of 1 reached", response["error"]!["message"]!.AsString());
            Assert.Equal("pong", await occupant.PingAsync());
        }
        finally
        {
            Close(silent);
        }
    }

    [Fact]
    public async Task A_caller_whose_handshake_finishes_after_the_last_slot_went_is_told_over_the_secure_link()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxConnections = 1);
        var gated = new FirstFrameGate();
        await using var late = new SynapseClient("127.0.0.1", host.Port, new SynapseClientOptions { Connector = gated, Security = LinkSecurity.Required });

        // The host answers the handshake's first frame while the slot is free...
        var ping = late.PingAsync();
        await gated.Holding.WaitAsync(TimeSpan.FromSeconds(10));

        // ...but the slot is taken before the handshake finishes.
        await using var occupant = new SynapseClient("127.0.0.1", host.Port);
        await occupant.PingAsync();
        gated.Release();

        var busy = await Assert.ThrowsAsync<RpcException>(() => ping.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("server busy: connection limit of 1 reached", busy.Message);
    }

    [Fact]
    public void The_pending_limit_must_be_positive()
    {
        var invalid = Assert.Throws<ArgumentOutOfRangeException>(() => new Synapse.Hosting.AgentHost(new TestAgent(), new Synapse.Hosting.AgentHostOptions { MaxPendingConnections = 0 }));

        Assert.Equal("MaxPendingConnections", invalid.ParamName);
    }

    /// <summary>Opens <paramref name="count"/> TCP connections to the host that never send a byte.</summary>
    internal static async Task<List<Socket>> OpenSilentAsync(int port, int count)
    {
        var sockets = new List<Socket>(count);
        try
        {
            // In batches below the listen backlog, so no SYN is dropped and retried a second later.
            for (var opened = 0; opened < count; opened += 128)
            {
                var batch = Enumerable.Range(0, Math.Min(128, count - opened)).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToList();
                sockets.AddRange(batch);
                await Task.WhenAll(batch.Select(s => s.ConnectAsync(IPAddress.Loopback, port)));
            }

            return sockets;
        }
        catch
        {
            Close(sockets);
            throw;
        }
    }

    internal static void Close(List<Socket> sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    /// <summary>
    /// <paramref name="wanted"/>, or fewer if the open-file limit would not hold them: each loopback connection takes
    /// two descriptors in this process (ours and the host's), and the runtime and test host need some of their own.
    /// </summary>
    internal static int SilentConnectionBudget(int wanted)
    {
        const int Reserve = 512;
        var limit = OpenFileLimit();
        return limit is null ? wanted : (int)Math.Clamp((limit.Value - Reserve) / 2, 1, wanted);
    }

    /// <summary>The soft open-file limit (<c>ulimit -n</c>) from <c>/proc/self/limits</c>, or <c>null</c> where unknown.</summary>
    private static long? OpenFileLimit()
    {
        const string LimitsFile = "/proc/self/limits";
        if (!File.Exists(LimitsFile))
        {
            return null;
        }

        foreach (var line in File.ReadLines(LimitsFile))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.TryParse(soft, out var value) ? value : null;
            }
        }

        return null;
    }

    /// <summary>TCP whose outgoing bytes after the first frame are held until <see cref="Release"/>.</summary>
    private sealed class FirstFrameGate : ITransportConnector
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the first frame went out, was answered, and the client's next bytes are held.</summary>
        public Task Holding => _held.Task;

        public void Release() => _released.TrySetResult();

        public async ValueTask<ITransportConnection> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken = default)
        {
            var inner = await TcpTransport.Instance.ConnectAsync(endPoint, cancellationToken);
            var outgoing = new Pipe();
            _ = PumpAsync(outgoing.Reader, inner.Pipe.Output);
            return new GatedConnection(inner, outgoing.Writer);
        }

        private async Task PumpAsync(PipeReader reader, PipeWriter output)
        {
            try
            {
                // The first frame goes through.
                var head = await reader.ReadAtLeastAsync(4);
                if (head.Buffer.Length < 4)
                {
                    return;
                }

                var length = 4 + (int)BinaryPrimitives.ReadUInt32BigEndian(head.Buffer.Slice(0, 4).ToArray());
                reader.AdvanceTo(head.Buffer.Start);
                var first = await reader.ReadAtLeastAsync(length);
                await ForwardAsync(first.Buffer.Slice(0, Math.Min(length, first.Buffer.Length)), output);
                reader.AdvanceTo(first.Buffer.GetPosition(Math.Min(length, first.Buffer.Length)));

                // The client writes again only once the host answered that frame: hold what it writes.
                var next = await reader.ReadAtLeastAsync(1);
                reader.AdvanceTo(next.Buffer.Start);
                _held.TrySetResult();
                await _released.Task;

                while (true)
                {
                    var result = await reader.ReadAsync();
                    await ForwardAsync(result.Buffer, output);
                    reader.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (LinkLoss.Is(e))
            {
            }
            finally
            {
                await reader.CompleteAsync();
                await output.CompleteAsync();
            }
        }

        private static async Task ForwardAsync(ReadOnlySequence<byte> bytes, PipeWriter output)
        {
            foreach (var segment in bytes)
            {
                await output.WriteAsync(segment);
            }
        }
    }

    private sealed class GatedConnection(ITransportConnection inner, PipeWriter output) : ITransportConnection, IDuplexPipe
    {
        public IDuplexPipe Pipe => this;

        public PipeReader Input => inner.Pipe.Input;

        public PipeWriter Output => output;

        public EndPoint? RemoteEndPoint => inner.RemoteEndPoint;

        public EndPoint? LocalEndPoint => inner.LocalEndPoint;

        public string? PeerId => inner.PeerId;

        public void Abort() => inner.Abort();

        public async ValueTask DisposeAsync()
        {
            await output.CompleteAsync();
            await inner.DisposeAsync();
        }
    }
}
