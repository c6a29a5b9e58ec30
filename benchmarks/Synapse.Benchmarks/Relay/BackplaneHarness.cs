using System.Buffers.Binary;
using System.Diagnostics;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Relay.Configuration;
using Synapse.Relay.RabbitMQ;
using Synapse.Relay.Server;

namespace Synapse.Benchmarks.Relay;

/// <summary>
/// Direct messages between two agents, measured three ways in one run: both on one relay routing in memory (the
/// embedded default, the baseline), both on one relay with the RabbitMQ backplane, and on two relays sharing the
/// broker. Throughput: pre-sealed envelopes on raw secure links with a window in flight, confirmed by the receiver
/// (as <see cref="RelayThroughput"/>), so the figure is the relays' and the broker's. Latency: relay clients, one
/// message at a time, from <c>Send</c> to the receiver's handler (sealing and opening included).
/// </summary>
internal static class BackplaneHarness
{
    private const int PayloadBytes = 64;

    public static async Task RunAsync(TimeSpan duration, Uri broker)
    {
        Console.WriteLine($"direct messages of {PayloadBytes} B; {duration.TotalSeconds:0} s per throughput run, broker {broker.Host}:{broker.Port}");
        Console.WriteLine($"{"scenario",-44} {"msgs/s",10} {"p50 µs",9} {"p99 µs",9}");
        await MeasureAsync("same relay, in memory (no backplane)", duration, null, crossRelay: false);
        await MeasureAsync("same relay, through the broker", duration, broker, crossRelay: false);
        await MeasureAsync("across two relays, through the broker", duration, broker, crossRelay: true);

        var frameBytes = DeliverFrameBytes();
        var bare = await BareBrokerLoop.MeasureAsync(broker, frameBytes, TimeSpan.FromSeconds(1), duration);
        Console.WriteLine($"{$"bare RabbitMQ.Client loop ({frameBytes} B bodies)",-44} {bare,10:N0} {"-",9} {"-",9}");
    }

    /// <summary>The size of the deliver frame the backplane stores for one direct message of <see cref="PayloadBytes"/>.</summary>
    private static int DeliverFrameBytes()
    {
        using var sender = AgentIdentity.Generate();
        using var recipient = AgentIdentity.Generate();
        using var key = EncryptionKeyPair.Derive(recipient);
        var envelope = EnvelopeSealer.Seal(sender, key.Certificate, new byte[PayloadBytes]).Encode();
        return new RelayFrame { Op = RelayOp.Deliver, Envelope = envelope }.Encode().Length;
    }

    private static BackplaneOptions Backplane(Uri broker) => new() { Uri = broker, Prefix = "bench-" + Guid.NewGuid().ToString("N")[..8] };

    private static async Task MeasureAsync(string name, TimeSpan duration, Uri? broker, bool crossRelay)
    {
        var (rate, _) = await RelayThroughput.MeasureAsync(1, PayloadBytes, TimeSpan.FromSeconds(1), duration, broker is null ? null : Backplane(broker), crossRelay);
        var latencies = await MeasureLatencyAsync(TimeSpan.FromSeconds(Math.Max(2, duration.TotalSeconds / 2)), broker, crossRelay);
        Console.WriteLine($"{name,-44} {rate,10:N0} {Percentile(latencies, 0.50),9:N0} {Percentile(latencies, 0.99),9:N0}");
    }

    private static async Task<List<double>> MeasureLatencyAsync(TimeSpan duration, Uri? broker, bool crossRelay)
    {
        var options = RelayThroughput.BenchmarkOptions with { Backplane = broker is null ? null : Backplane(broker) };
        await using var first = Relay(options);
        await using var second = crossRelay ? Relay(options) : null;
        await first.StartAsync();
        if (second is not null)
        {
            await second.StartAsync();
        }

        using var aliceId = AgentIdentity.Generate();
        using var bobId = AgentIdentity.Generate();
        using var aliceKey = EncryptionKeyPair.Derive(aliceId);
        using var bobKey = EncryptionKeyPair.Derive(bobId);
        await using var alice = new RelayClient(aliceId, aliceKey, new RelayClientOptions { Relays = [new RelayEndpoint(first.LocalEndPoint, first.Id)] });
        var bobRelay = second ?? first;
        await using var bob = new RelayClient(bobId, bobKey, new RelayClientOptions { Relays = [new RelayEndpoint(bobRelay.LocalEndPoint, bobRelay.Id)] });
        var latencies = new List<double>();
        TaskCompletionSource? arrived = null;
        bob.OnMessage((message, _) =>
        {
            latencies.Add(Stopwatch.GetElapsedTime(BinaryPrimitives.ReadInt64LittleEndian(message.Payload.Span)).TotalMicroseconds);
            Volatile.Read(ref arrived)?.TrySetResult();
            return ValueTask.CompletedTask;
        });
        await alice.StartAsync();
        await bob.StartAsync();
        await alice.WaitConnectedAsync();
        await bob.WaitConnectedAsync();

        var ping = new byte[PayloadBytes];
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; Stopwatch.GetTimestamp() < until || i < 200; i++)
        {
            var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref arrived, next);
            BinaryPrimitives.WriteInt64LittleEndian(ping, Stopwatch.GetTimestamp());
            alice.Send(bob.Certificate, ping);
            await next.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        latencies.RemoveRange(0, 20); // warm-up
        latencies.Sort();
        return latencies;
    }

    private static RelayServer Relay(RelayOptions options) =>
        new(options, backplane: options.Backplane is null ? null : new RabbitMqBackplane(options));

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
}
