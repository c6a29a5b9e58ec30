// docs/reputation.md: scoring agents from signed evidence, ranking cards, serving and fetching evidence.
using Synapse.Client;
using Synapse.Discovery;
using Synapse.Flows.Graph;
using Synapse.Hosting;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Reputation;
using Synapse.Rpc;

namespace Synapse.Docs.Tests.Snippets;

internal static class ReputationSnippet
{
    public static async Task RunAsync(
        DecisionRecord record, ReputationReport report, QuarantineAttestation attestation, DateTimeOffset now, AgentId relayId,
        IReadOnlyList<AgentId> knownGoodAgents, AgentId agentId, RelayClient relay, AgentQuery query, IAgentNode agent, SynapseClient client)
    {
        var book = new ReputationBook();
        book.Add(record);                 // decision records (yours and the ones peers sent you); refused if unsigned
        book.Add(report);                 // ReputationReport.Sign(me, peer.Id, ReputationReportKind.Success, interaction.Id, now)
        book.Add(attestation);            // QuarantineAttestation from a relay

        var options = new ReputationOptions { AsOf = now, TrustedRelays = [relayId], Anchors = [.. knownGoodAgents] };
        ReputationScore score = book.Score(agentId, options);           // Value, Alpha, Beta, counts, Evidence, Rejected
        byte[] proof = book.Evidence(agentId).Encode();                  // what a third party needs to recompute it
        ReputationScore same = ReputationCalculator.Score(agentId, EvidenceSet.Decode(proof), options);

        IReadOnlyList<RankedAgentCard> ranked = AgentCardRanking.Order((await relay.FindAgentsAsync(query)).Cards, book, options, minScore: 0.6);

        // Serve your evidence to others, and fetch theirs (see "Fetching evidence").
        var host = new AgentHost(agent, new AgentHostOptions { ReputationBook = book });
        FetchedEvidence fetched = await client.FetchEvidenceAsync(agentId);  // client: a SynapseClient of another node
        ReputationScore theirs = fetched.Score(options);                      // recomputed and verified here
    }
}
