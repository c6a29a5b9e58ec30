using System.Text;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.Outbox;
using Synapse.Relay.RabbitMQ;
using Synapse.Relay.Server;

/// <summary>
/// A relay round trip in the trimmed binary: a relay on loopback, an agent with a durable (SQLite) outbox and one
/// with an in-memory one, a sealed direct message and its acknowledgement. With a broker at <c>SYNAPSE_RABBITMQ_URI</c>,
/// the same again between two relays sharing it.
/// </summary>
internal static class RelaySelfTest
{
    private static readonly RelayOptions Embedded = new() { Port = 0, Logger = new RelayLogOptions { EnableConsoleLog = false } };

    public static async Task<bool> RunAsync()
    {
        await using var relay = new RelayServer(Embedded);
        await relay.StartAsync();
        return await RoundTripAsync(relay, relay);
    }

    /// <summary>Null without a broker to use; else whether a message crossed two relays through it.</summary>
    public static async Task<bool?> RunThroughBrokerAsync()
    {
        if (Environment.GetEnvironmentVariable("SYNAPSE_RABBITMQ_URI") is not { Length: > 0 } uri)
        {
            return null;
        }

        var options = Embedded with { Backplane = new BackplaneOptions { Uri = new Uri(uri), Prefix = "selftest-" + Guid.NewGuid().ToString("N")[..8] } };
        await using var first = await StartPatientlyAsync(options);
        await using var second = await StartPatientlyAsync(options);
        return await RoundTripAsync(first, second, TimeSpan.FromSeconds(120)); // patient: other tests restart the broker
    }

    /// <summary>Starts a relay on the broker, trying again for a while if the broker is away (being restarted).</summary>
    private static async Task<RelayServer> StartPatientlyAsync(RelayOptions options)
    {
        for (var attempt = 1; ; attempt++)
        {
            var relay = new RelayServer(options, backplane: new RabbitMqBackplane(options));
            try
            {
                await relay.StartAsync();
                return relay;
            }
            catch (InvalidOperationException) when (attempt < 60)
            {
                await relay.DisposeAsync();
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    private static async Task<bool> RoundTripAsync(RelayServer aliceRelay, RelayServer bobRelay, TimeSpan? patience = null)
    {
        var timeout = patience ?? TimeSpan.FromSeconds(30);
        var data = Directory.CreateTempSubdirectory("synapse-selftest-");
        try
        {
            using var aliceId = AgentIdentity.Generate();
            using var bobId = AgentIdentity.Generate();
            using var aliceKey = EncryptionKeyPair.Derive(aliceId);
            using var bobKey = EncryptionKeyPair.Derive(bobId);
            await using var alice = new RelayClient(aliceId, aliceKey, new RelayClientOptions { Relays = [new RelayEndpoint(aliceRelay.LocalEndPoint, aliceRelay.Id)], OpenStore = SqliteRelayStore.In(data.FullName) });
            await using var bob = new RelayClient(bobId, bobKey, new RelayClientOptions { Relays = [new RelayEndpoint(bobRelay.LocalEndPoint, bobRelay.Id)] });
            var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            bob.OnMessage((message, _) =>
            {
                received.TrySetResult($"{message.Sender}:{Encoding.UTF8.GetString(message.Payload.Span)}");
                return ValueTask.CompletedTask;
            });
            await alice.StartAsync();
            await bob.StartAsync();

            var id = alice.Send(bob.Certificate, "hello through the relay"u8);
            await alice.WaitAcknowledgedAsync(id).WaitAsync(timeout);
            var text = await received.Task.WaitAsync(timeout);
            return text == $"{aliceId.Id}:hello through the relay" && alice.PendingCount == 0 && File.Exists(Path.Combine(data.FullName, "relay.db"));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
