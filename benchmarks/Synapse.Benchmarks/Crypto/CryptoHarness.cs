using System.Diagnostics;
using Synapse.Crypto;
using Synapse.Crypto.Noise;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Testing.Crypto;

namespace Synapse.Benchmarks.Crypto;

/// <summary>
/// The crypto primitives on the old OpenSSL binding (the tests' reference copy, compiled in here) and on NSec, in
/// one process, one after the other: Ed25519 sign and verify and X25519 as one-shot calls on raw keys (as the old
/// product called them), then on NSec keys held across calls, then Noise XX handshakes and envelope seal/open
/// (the product, on NSec). One thread; operations per second.
/// </summary>
internal static class CryptoHarness
{
    public static void Run(TimeSpan duration)
    {
        byte[] seed = Random(32), message = Random(256), publicKey = new byte[32], signature = new byte[64];
        Ed25519.DerivePublicKey(seed, publicKey);
        Ed25519.Sign(seed, message, signature);
        byte[] xPrivate = Random(32), xPeer = new byte[32], shared = new byte[32];
        X25519.DerivePublicKey(Random(32), xPeer);

        Console.WriteLine($"crypto harness: {duration.TotalSeconds:0.#} s per figure, one thread, {Environment.ProcessorCount} cores, load {Load()}");
        Report("Ed25519 sign (256 B), one-shot", Measure(duration, () => OpenSsl25519.Sign(seed, message, signature)), Measure(duration, () => Ed25519.Sign(seed, message, signature)));
        Report("Ed25519 verify (256 B)", Measure(duration, () => OpenSsl25519.Verify(publicKey, message, signature)), Measure(duration, () => Ed25519.Verify(publicKey, message, signature)));
        Report("X25519 agree, one-shot", Measure(duration, () => OpenSsl25519.TryAgree(xPrivate, xPeer, shared)), Measure(duration, () => X25519.TryAgree(xPrivate, xPeer, shared)));

        using (Ed25519SigningKey key = Ed25519SigningKey.Create(seed))
        using (X25519PrivateKey xKey = X25519PrivateKey.Create(xPrivate))
        {
            Report("Ed25519 sign, NSec key held", null, Measure(duration, () => key.Sign(message, signature)));
            Report("X25519 agree, NSec key held", null, Measure(duration, () => { using var s = xKey.Agree(xPeer); }));
        }

        using AgentIdentity alice = AgentIdentity.Generate(), bob = AgentIdentity.Generate();
        using NoiseStaticCredential aliceStatic = NoiseStaticCredential.Create(alice), bobStatic = NoiseStaticCredential.Create(bob);
        Report("Noise XX handshake (both sides)", null, Measure(duration, () => Handshake(aliceStatic, bobStatic)));

        using EncryptionKeyPair bobKey = EncryptionKeyPair.Generate(bob);
        Report("envelope seal (256 B)", null, Measure(duration, () => EnvelopeSealer.Seal(alice, bobKey.Certificate, message)));
        SealedEnvelope[] envelopes = [.. Enumerable.Range(0, 4096).Select(_ => EnvelopeSealer.Seal(alice, bobKey.Certificate, message))];
        int next = 0;
        var opening = new EnvelopeOpener(bobKey, new EnvelopeOpenerOptions { ReplayCacheCapacity = 1 << 20 });
        Report("envelope open (256 B)", null, Measure(duration, () => opening.Open(envelopes[next++]), envelopes.Length));
    }

    private static void Handshake(NoiseStaticCredential initiatorStatic, NoiseStaticCredential responderStatic)
    {
        using NoiseXXHandshake initiator = NoiseXXHandshake.CreateInitiator(initiatorStatic);
        using NoiseXXHandshake responder = NoiseXXHandshake.CreateResponder(responderStatic);
        byte[] m1 = initiator.WriteMessage();
        responder.ReadMessage(m1);
        byte[] m2 = responder.WriteMessage();
        initiator.ReadMessage(m2);
        byte[] m3 = initiator.WriteMessage();
        responder.ReadMessage(m3);
    }

    private static double Measure(TimeSpan duration, Action operation, int maxOperations = int.MaxValue)
    {
        for (int i = 0; i < 200 && i < maxOperations / 2; i++)
        {
            operation();
        }

        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration && count < maxOperations / 2)
        {
            operation();
            count++;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static void Report(string what, double? openSsl, double nsec) =>
        Console.WriteLine(openSsl is double old
            ? $"  {what,-34} OpenSSL {old,10:N0}/s   NSec {nsec,10:N0}/s   ×{nsec / old:0.00}"
            : $"  {what,-34} {"",18}   NSec {nsec,10:N0}/s");

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static byte[] Random(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
}
