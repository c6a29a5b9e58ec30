// docs/relay.md, "What agents see": a relay client with failover, a durable outbox and direct mail.
using System.Net;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Relay.Outbox;

namespace Synapse.Docs.Tests.Snippets;

internal static class RelaySnippet
{
    public static async Task RunAsync(AgentId relayId, EncryptionKeyCertificate bobCertificate, byte[] payload)
    {
        var identity = AgentIdentity.Load("agent.key");
        var encryption = EncryptionKeyPair.Derive(identity);          // certified X25519 key for direct mail
        await using var client = new RelayClient(identity, encryption, new RelayClientOptions
        {
            Relays = [new RelayEndpoint(IPEndPoint.Parse("10.0.0.5:8888"), relayId), new RelayEndpoint(IPEndPoint.Parse("10.0.0.6:8888"))],
            OpenStore = SqliteRelayStore.In("data/"),                  // durable outbox and seen-ids (SQLite)
        });
        client.OnMessage((message, ct) => { /* message.Sender, message.Room, message.Payload */ return ValueTask.CompletedTask; });
        client.RoomInvitation += invitation => _ = client.JoinAsync(invitation.Room, invitation.Key);
        await client.StartAsync();

        var id = client.Send(bobCertificate, payload);                // sealed to Bob, kept in the outbox
        await client.WaitAcknowledgedAsync(id);                       // Bob's client confirmed it
    }
}
