using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Synapse.Client;
using Synapse.Hosting;
using Synapse.MessagePack;

namespace Synapse.Benchmarks;

/// <summary>
/// End-to-end calls over loopback TCP, with a raw-socket ping-pong of the same frame sizes as the baseline, all in
/// one run so the comparison is fair: (a) raw socket, (b) sequential calls, (c) 64 calls in flight on one connection.
/// </summary>
internal static class LoopbackHarness
{
    private const int InFlight = 64;

    public static async Task RunAsync(TimeSpan duration)
    {
        // Plaintext on both sides: this section compares the RPC layer with raw sockets (secure links: SecurityHarness).
        await using var host = new AgentHost(new BenchAgent(), new AgentHostOptions { SecureLinks = SecureLinkPolicy.Optional });
        await host.StartAsync();
        await using var client = new SynapseClient(host.LocalEndPoint, new SynapseClientOptions { Mode = ConnectionMode.Multiplexed, Security = LinkSecurity.Disabled });
        var bench = new BenchAgentClient(client);
        await bench.SumAsync(1, 2);

        var (request, response) = SumFrames();
        Console.WriteLine($"loopback harness: {duration.TotalSeconds:0} s per scenario, sum(1, 2): request frame {request.Length} B, response frame {response.Length} B, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine($"{"scenario",-44} {"calls/s",12} {"p50 µs",9} {"p99 µs",9}");

        var raw = await RawPingPongAsync(request, response, duration);
        Print("(a) raw socket ping-pong, same frame sizes", raw);

        var sequential = await MeasureAsync(1, duration, () => bench.SumAsync(1, 2));
        Print("(b) sequential calls, one connection", sequential);

        var concurrent = await MeasureAsync(InFlight, duration, () => bench.SumAsync(1, 2));
        Print($"(c) {InFlight} calls in flight, one connection", concurrent);

        Console.WriteLine();
        Console.WriteLine($"sequential / raw round trips: {sequential.CallsPerSecond / raw.CallsPerSecond:P0}");
    }

    private static void Print(string name, Result result) =>
        Console.WriteLine($"{name,-44} {result.CallsPerSecond,12:N0} {result.P50,9:N1} {result.P99,9:N1}");

    /// <summary>The exact frames a typed client sends and a host answers for sum(1, 2) with a typical id.</summary>
    private static (byte[] Request, byte[] Response) SumFrames()
    {
        var request = MsgPackValue.ParseJson("""{"endpoint":"sum","id":"12345","args":[1,2],"kwargs":{},"type":"request"}""").ToBytes();
        var response = MsgPackValue.ParseJson("""{"id":"12345","ok":true,"result":3,"error":null,"type":"response"}""").ToBytes();
        return (Frame(request), Frame(response));
    }

    private static byte[] Frame(byte[] payload)
    {
        var frame = new byte[payload.Length + 4];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    private static async Task<Result> MeasureAsync(int workers, TimeSpan duration, Func<Task<int>> call)
    {
        for (var i = 0; i < 2000; i++)
        {
            await call();
        }

        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var samples = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<long>(1 << 16);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t0 = Stopwatch.GetTimestamp();
                await call();
                latencies.Add(Stopwatch.GetTimestamp() - t0);
            }

            return latencies;
        })));
        return Result.From(samples.SelectMany(s => s).ToArray(), Stopwatch.GetElapsedTime(started));
    }

    private static async Task<Result> RawPingPongAsync(byte[] request, byte[] response, TimeSpan duration)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var server = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            peer.NoDelay = true;
            var buffer = new byte[request.Length];
            while (await ReceiveFrameAsync(peer, buffer))
            {
                await peer.SendAsync(response);
            }
        });

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(listener.LocalEndPoint!);
        var inbound = new byte[response.Length];
        var result = await MeasureAsync(1, duration, async () =>
        {
            await socket.SendAsync(request);
            await ReceiveFrameAsync(socket, inbound);
            return 0;
        });
        socket.Shutdown(SocketShutdown.Both);
        await server;
        return result;
    }

    /// <summary>Reads one length-prefixed frame into <paramref name="buffer"/> (sized for it); false at end of stream.</summary>
    private static async ValueTask<bool> ReceiveFrameAsync(Socket socket, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return BinaryPrimitives.ReadUInt32BigEndian(buffer) == buffer.Length - 4;
    }

    private readonly record struct Result(double CallsPerSecond, double P50, double P99)
    {
        public static Result From(long[] latencies, TimeSpan elapsed)
        {
            Array.Sort(latencies);
            double Micros(double quantile) => latencies[(int)Math.Min(latencies.Length - 1, quantile * latencies.Length)] * 1e6 / Stopwatch.Frequency;
            return new Result(latencies.Length / elapsed.TotalSeconds, Micros(0.50), Micros(0.99));
        }
    }
}
