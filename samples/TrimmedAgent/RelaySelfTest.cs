using System.Text;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Server;

/// <summary>
/// A relay round trip in the trimmed binary: a relay on loopback, an agent with a durable (SQLite) outbox and one
/// with an in-memory one, a sealed direct message and its acknowledgement.
/// </summary>
internal static class RelaySelfTest
{
    public static async Task<bool> RunAsync()
    {
        var data = Directory.CreateTempSubdirectory("synapse-selftest-");
        try
        {
            await using var relay = new RelayServer(new RelayOptions { Port = 0, Logger = new RelayLogOptions { EnableConsoleLog = false } });
            await relay.StartAsync();
            var relays = new[] { new RelayEndpoint(relay.LocalEndPoint, relay.Id) };
            using var aliceId = AgentIdentity.Generate();
            using var bobId = AgentIdentity.Generate();
            using var aliceKey = EncryptionKeyPair.Derive(aliceId);
            using var bobKey = EncryptionKeyPair.Derive(bobId);
            await using var alice = new RelayClient(aliceId, aliceKey, new RelayClientOptions { Relays = relays, DataDirectory = data.FullName });
            await using var bob = new RelayClient(bobId, bobKey, new RelayClientOptions { Relays = relays });
            var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            bob.OnMessage((message, _) =>
            {
                received.TrySetResult($"{message.Sender}:{Encoding.UTF8.GetString(message.Payload.Span)}");
                return ValueTask.CompletedTask;
            });
            await alice.StartAsync();
            await bob.StartAsync();

            var id = alice.Send(bob.Certificate, "hello through the relay"u8);
            await alice.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
            var text = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return text == $"{aliceId.Id}:hello through the relay" && alice.PendingCount == 0 && File.Exists(Path.Combine(data.FullName, "relay.db"));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
