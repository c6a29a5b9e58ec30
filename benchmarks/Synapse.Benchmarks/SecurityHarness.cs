using System.Diagnostics;
using Synapse.Client;
using Synapse.Crypto.Noise;
using Synapse.Envelopes;
using Synapse.Hosting;
using Synapse.Identity;
using Synapse.MessagePack;

namespace Synapse.Benchmarks;

/// <summary>
/// Secure links against plaintext links for several message sizes, in one run, plus handshakes and the identity
/// and envelope operations per second (compare the latter with <c>openssl speed ed25519</c> on the same machine).
/// </summary>
internal static class SecurityHarness
{
    private const int InFlight = 64;
    private const int ConnectionLoops = 4;

    public static async Task RunAsync(TimeSpan duration)
    {
        await using var host = new AgentHost(new BenchAgent(), new AgentHostOptions { SecureLinks = SecureLinkPolicy.Optional });
        await host.StartAsync();
        await using var plaintext = new SynapseClient(host.LocalEndPoint, new SynapseClientOptions { Mode = ConnectionMode.Multiplexed, Security = LinkSecurity.Disabled });
        await using var secure = new SynapseClient(host.LocalEndPoint, new SynapseClientOptions { Mode = ConnectionMode.Multiplexed, Security = LinkSecurity.Required });

        // Warm both paths up (JIT tiering) before measuring either, so neither pays for it inside the table.
        var warmup = new List<MsgPackValue> { MsgPackValue.FromBinary(new byte[1024]) };
        await CallsPerSecondAsync(() => plaintext.CallAsync("echo", warmup), TimeSpan.FromSeconds(1));
        await CallsPerSecondAsync(() => secure.CallAsync("echo", warmup), TimeSpan.FromSeconds(1));

        Console.WriteLine();
        Console.WriteLine($"secure vs plaintext link: echo(bytes), {InFlight} calls in flight on one connection, {duration.TotalSeconds:0} s each");
        Console.WriteLine($"{"payload",-10} {"plaintext calls/s",18} {"secure calls/s",15} {"secure/plain",13}");
        foreach (var size in new[] { 64, 1024, 64 * 1024 })
        {
            var payload = new byte[size];
            Random.Shared.NextBytes(payload);
            var argument = new List<MsgPackValue> { MsgPackValue.FromBinary(payload) };
            var plain = await CallsPerSecondAsync(() => plaintext.CallAsync("echo", argument), duration);
            var encrypted = await CallsPerSecondAsync(() => secure.CallAsync("echo", argument), duration);
            Console.WriteLine($"{Size(size),-10} {plain,18:N0} {encrypted,15:N0} {encrypted / plain,13:P0}");
        }

        Console.WriteLine();
        Console.WriteLine($"new connections over TCP: connect, negotiate, one echo call, close; {ConnectionLoops} loops in parallel, {duration.TotalSeconds:0} s each");
        var ping = new List<MsgPackValue> { MsgPackValue.FromBinary(new byte[64]) };
        var plainConnections = await ConnectionsPerSecondAsync(host, LinkSecurity.Disabled, ping, duration);
        var secureConnections = await ConnectionsPerSecondAsync(host, LinkSecurity.Required, ping, duration);
        Console.WriteLine($"{"plaintext connections/s",-44} {plainConnections,12:N0}");
        Console.WriteLine($"{"secure connections/s (Noise XX handshake)",-44} {secureConnections,12:N0} ({secureConnections / plainConnections:P0})");

        Console.WriteLine();
        Console.WriteLine($"{"operation (one core)",-44} {"per second",12}");
        using var alice = AgentIdentity.Generate();
        using var bob = AgentIdentity.Generate();
        var message = new byte[64];
        var signature = alice.Sign(message);
        Print("Ed25519 sign (64 B)", OpsPerSecond(() => alice.Sign(message, signature), duration));
        Print("Ed25519 verify (64 B)", OpsPerSecond(() => alice.Id.Verify(message, signature), duration));

        using var credentialA = NoiseStaticCredential.Create(alice);
        using var credentialB = NoiseStaticCredential.Create(bob);
        Print("Noise XX handshake (both sides, in memory)", OpsPerSecond(() => Handshake(credentialA, credentialB), duration));

        using var bobKey = EncryptionKeyPair.Generate(bob);
        var opener = new EnvelopeOpener(bobKey, new EnvelopeOpenerOptions { ReplayCacheCapacity = 1 << 20 });
        var payload1K = new byte[1024];
        Print("envelope seal (1 KiB)", OpsPerSecond(() => EnvelopeSealer.Seal(alice, bobKey.Certificate, payload1K), duration));
        var sealedEnvelopes = new Queue<SealedEnvelope>();
        for (var i = 0; i < 20_000; i++)
        {
            sealedEnvelopes.Enqueue(EnvelopeSealer.Seal(alice, bobKey.Certificate, payload1K));
        }

        Print("envelope open (1 KiB)", OpsPerSecond(() => opener.Open(sealedEnvelopes.Dequeue()), duration, limit: 20_000));
    }

    private static void Handshake(NoiseStaticCredential initiatorKey, NoiseStaticCredential responderKey)
    {
        using var initiator = NoiseXXHandshake.CreateInitiator(initiatorKey);
        using var responder = NoiseXXHandshake.CreateResponder(responderKey);
        responder.ReadMessage(initiator.WriteMessage());
        initiator.ReadMessage(responder.WriteMessage());
        responder.ReadMessage(initiator.WriteMessage());
        initiator.Complete().Dispose();
        responder.Complete().Dispose();
    }

    private static async Task<double> ConnectionsPerSecondAsync(AgentHost host, LinkSecurity security, List<MsgPackValue> argument, TimeSpan duration)
    {
        var options = new SynapseClientOptions { Mode = ConnectionMode.Multiplexed, Security = security };
        async Task ConnectOnceAsync()
        {
            await using var client = new SynapseClient(host.LocalEndPoint, options);
            await client.CallAsync("echo", argument);
        }

        for (var i = 0; i < 50; i++)
        {
            await ConnectOnceAsync();
        }

        return await ConcurrentLoops.RatePerSecondAsync(ConnectionLoops, ConnectOnceAsync, duration);
    }

    private static async Task<double> CallsPerSecondAsync(Func<Task<MsgPackValue>> call, TimeSpan duration)
    {
        for (var i = 0; i < 500; i++)
        {
            await call();
        }

        return await ConcurrentLoops.RatePerSecondAsync(InFlight, call, duration);
    }

    private static double OpsPerSecond(Action operation, TimeSpan duration, int limit = int.MaxValue)
    {
        operation();
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var n = 1;
        while (Stopwatch.GetTimestamp() < stopAt && n < limit)
        {
            operation();
            n++;
        }

        return (n - 1) / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static void Print(string name, double perSecond) => Console.WriteLine($"{name,-44} {perSecond,12:N0}");

    private static string Size(int bytes) => bytes >= 1024 ? $"{bytes / 1024} KiB" : $"{bytes} B";
}
