// docs/discovery.md: signing an agent card, publishing it and finding agents.
using Synapse.Discovery;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Rpc;

namespace Synapse.Docs.Tests.Snippets;

internal static class DiscoveryCards
{
    public static AgentCard Sign(IAgentNode reviewer, AgentId relayId)
    {
        using var identity = AgentIdentity.Load("alice.key");
        using var key = EncryptionKeyPair.Derive(identity);
        var now = DateTimeOffset.UtcNow;
        // Name, role, description and capabilities from the generated descriptor, as _agent.capabilities lists them.
        AgentCard card = AgentCard.Sign(identity, reviewer.CreateDispatcher().Descriptor, [new RelayAddress("relay.example:8888", relayId)],
            key.Certificate, now, now.AddHours(1));
        return card;
    }

    public static async Task PublishAndFindAsync(RelayClient client, AgentCard card, byte[] payload, CancellationToken cancellationToken)
    {
        await client.PublishCardAsync(card);                      // Accepted / Replaced / Unchanged, or RelayRefusedException
        AgentPage page = await client.FindAgentsAsync(new AgentQuery { Capability = "code-review" }, cancellationToken);
        foreach (AgentCard found in page.Cards)
        {
            client.Send(found.EncryptionKey!, payload);           // seal straight to what the card certifies
        }
    }
}
