using Synapse.Client;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Reputation;

/// <summary>Fetching reputation evidence from a host that serves <c>_agent.evidence</c> (see <c>docs/reputation.md</c>).</summary>
public static class EvidenceFetching
{
    /// <summary>The built-in's name.</summary>
    public const string Endpoint = EvidenceEndpoint.Name;

    /// <summary>
    /// Asks the node for the evidence it holds about <paramref name="subject"/> and decodes it. The answer is not
    /// trusted: score it with <see cref="FetchedEvidence.Score"/> (or <see cref="ReputationCalculator"/>), which
    /// verifies every item; merge it into a book with <see cref="ReputationBook.Import"/>, which keeps only verified items.
    /// </summary>
    /// <param name="client">A client of the node.</param>
    /// <param name="subject">The agent to fetch evidence about.</param>
    /// <param name="timeout">The call's timeout; <see cref="SynapseClientOptions.CallTimeout"/> when <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded, unverified evidence.</returns>
    /// <exception cref="RpcException">The call failed (a node without a reputation book answers <c>bad_request</c>
    /// "Unregistered endpoint called: _agent.evidence"), or the answer is malformed (<see cref="RpcErrorCodes.ProtocolError"/>).</exception>
    public static async Task<FetchedEvidence> FetchEvidenceAsync(this SynapseClient client, AgentId subject, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (subject.IsDefault)
        {
            throw new ArgumentException("A subject agent id is required.", nameof(subject));
        }

        MsgPackValue result = await client.CallAsync(Endpoint, [subject.ToString()], timeout: timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        MsgPackValue? answered = result["subject"], evidence = result["evidence"], available = result["available"], truncated = result["truncated"];
        if (result.Type != MsgPackType.Map || answered?.Type != MsgPackType.String || evidence?.Type != MsgPackType.Binary
            || available?.Type != MsgPackType.Integer || truncated?.Type != MsgPackType.Boolean)
        {
            throw Malformed("expected a map of subject, evidence (bin), available (integer) and truncated (boolean)");
        }

        if (answered.AsString() != subject.ToString())
        {
            throw Malformed($"asked about {subject}, answered about '{answered.AsString()}'");
        }

        try
        {
            long count = available.AsInt64();
            return new FetchedEvidence(subject, EvidenceSet.Decode(evidence.AsBinary()), (int)Math.Clamp(count, 0, int.MaxValue), truncated.AsBoolean(), client.PeerId);
        }
        catch (Exception e) when (e is ReputationException or OverflowException)
        {
            throw Malformed(e.Message, e);
        }
    }

    private static RpcException Malformed(string what, Exception? inner = null) =>
        new(RpcErrorCodes.ProtocolError, $"{Endpoint} answered malformed evidence: {what}", inner) { Endpoint = Endpoint };
}
