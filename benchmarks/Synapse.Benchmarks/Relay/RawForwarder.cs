using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Benchmarks.Relay;

/// <summary>
/// The ceiling for the relay's throughput: an in-process TCP forwarder that copies each length-prefixed frame from
/// one sender to every receiver, with no encryption, no parsing beyond the length, no routing and no acknowledgement.
/// </summary>
internal sealed class RawForwarder : IAsyncDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];

    public static async Task<double> MeasureAsync(int receivers, byte[] frame, TimeSpan warmup, TimeSpan duration)
    {
        await using var forwarder = new RawForwarder();
        return await forwarder.RunAsync(receivers, frame, warmup, duration);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<double> RunAsync(int receivers, byte[] frame, TimeSpan warmup, TimeSpan duration)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1024);
        var window = new SemaphoreSlim(ThroughputRun.Window);

        var senderClient = await ConnectAsync(listener.LocalEndPoint!);
        var senderServer = await listener.AcceptAsync();
        var outputs = new List<PipeWriter>();
        var counters = new List<FrameCounter>();
        for (var i = 0; i < receivers; i++)
        {
            var client = await ConnectAsync(listener.LocalEndPoint!);
            var server = await listener.AcceptAsync();
            Track(server);
            outputs.Add(PipeWriter.Create(new NetworkStream(server)));
            counters.Add(new FrameCounter(PipeReader.Create(new NetworkStream(client)), PipeWriter.Create(Stream.Null), relayFrames: false, confirm: false, i == 0 ? window : null));
        }

        Track(senderServer);
        foreach (var counter in counters)
        {
            _tasks.Add(counter.RunAsync(_stop.Token));
        }

        _tasks.Add(ForwardAsync(PipeReader.Create(new NetworkStream(senderServer)), outputs));
        var output = PipeWriter.Create(new NetworkStream(senderClient));
        return await ThroughputRun.MeasureAsync(output, frame, window, counters[0], warmup, duration, _stop.Token);
    }

    private async Task ForwardAsync(PipeReader input, List<PipeWriter> outputs)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(_stop.Token);
                var buffer = result.Buffer;
                var consumed = buffer.Start;
                while (Frames.TryPeekLength(buffer, out var length) && buffer.Length >= Frames.HeaderSize + length)
                {
                    var whole = buffer.Slice(0, Frames.HeaderSize + length);
                    foreach (var output in outputs)
                    {
                        foreach (var segment in whole)
                        {
                            output.Write(segment.Span);
                        }
                    }

                    buffer = buffer.Slice(whole.End);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                foreach (var output in outputs)
                {
                    await output.FlushAsync(_stop.Token);
                }

                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException)
        {
        }
    }

    private async Task<Socket> ConnectAsync(EndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        Track(socket);
        return socket;
    }

    private void Track(Socket socket)
    {
        socket.NoDelay = true;
        _sockets.Add(socket);
    }
}
