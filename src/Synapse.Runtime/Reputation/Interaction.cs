using System.Security.Cryptography;
using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Reputation;

/// <summary>
/// A completed interaction counter-signed by both parties: three verified decision records where the
/// <see cref="Response"/> (by the responder) links the <see cref="Opening"/> (by the initiator), and a later
/// record of the initiator, the <see cref="Closing"/>, links the response. "Links" means the record's
/// <see cref="DecisionRecord.CauseHash"/> or one of its <see cref="DecisionRecord.PeerRefs"/>.
/// </summary>
public sealed class Interaction
{
    private Interaction(DecisionRecord opening, DecisionRecord response, DecisionRecord closing)
    {
        Opening = opening;
        Response = response;
        Closing = closing;
        Span<byte> input = stackalloc byte[IdContext.Length + 3 * DecisionHash.Size];
        IdContext.CopyTo(input);
        opening.Hash.Bytes.CopyTo(input[IdContext.Length..]);
        response.Hash.Bytes.CopyTo(input[(IdContext.Length + DecisionHash.Size)..]);
        closing.Hash.Bytes.CopyTo(input[(IdContext.Length + (2 * DecisionHash.Size))..]);
        Id = DecisionHash.FromBytes(SHA256.HashData(input));
    }

    /// <summary>The domain string of <see cref="Id"/>.</summary>
    public static ReadOnlySpan<byte> IdContext => "synapse-interaction-v1"u8;

    /// <summary>The initiator's record the responder answered.</summary>
    public DecisionRecord Opening { get; }

    /// <summary>The responder's record; it links <see cref="Opening"/>.</summary>
    public DecisionRecord Response { get; }

    /// <summary>The initiator's later record; it links <see cref="Response"/>.</summary>
    public DecisionRecord Closing { get; }

    /// <summary>The agent that opened and closed the interaction.</summary>
    public AgentId Initiator => Opening.Agent;

    /// <summary>The agent that answered.</summary>
    public AgentId Responder => Response.Agent;

    /// <summary>SHA-256 of <c>"synapse-interaction-v1" ‖ opening hash ‖ response hash ‖ closing hash</c>: what reports cite.</summary>
    public DecisionHash Id { get; }

    /// <summary>Whether <paramref name="agent"/> is one of the two parties.</summary>
    /// <param name="agent">An agent.</param>
    /// <returns>True for the initiator and the responder.</returns>
    public bool Involves(AgentId agent) => agent == Initiator || agent == Responder;

    /// <summary>Whether the parties are exactly <paramref name="a"/> and <paramref name="b"/>, in either role.</summary>
    /// <param name="a">One agent.</param>
    /// <param name="b">The other agent.</param>
    /// <returns>True when the interaction is between them.</returns>
    public bool IsBetween(AgentId a, AgentId b) => (a == Initiator && b == Responder) || (a == Responder && b == Initiator);

    /// <summary>
    /// Finds every interaction among <paramref name="records"/>. Records whose signature does not verify are
    /// ignored. The result is ordered by <see cref="Id"/> (bytewise) and has no duplicates.
    /// </summary>
    /// <param name="records">Decision records of any agents, in any order.</param>
    /// <returns>The interactions.</returns>
    public static IReadOnlyList<Interaction> Find(IEnumerable<DecisionRecord> records) => Find(records, signaturesVerified: false);

    /// <summary>As <see cref="Find(IEnumerable{DecisionRecord})"/>; records known to be verified already (a
    /// <see cref="ReputationBook"/>'s) are not checked again.</summary>
    internal static IReadOnlyList<Interaction> Find(IEnumerable<DecisionRecord> records, bool signaturesVerified)
    {
        ArgumentNullException.ThrowIfNull(records);
        var byHash = new Dictionary<DecisionHash, DecisionRecord>();
        foreach (DecisionRecord record in records)
        {
            if (!byHash.ContainsKey(record.Hash) && (signaturesVerified || record.VerifySignature()))
            {
                byHash.Add(record.Hash, record);
            }
        }

        var found = new SortedDictionary<DecisionHash, Interaction>(HashOrder.Instance);
        foreach (DecisionRecord closing in byHash.Values)
        {
            foreach (DecisionHash link in closing.CrossLinks)
            {
                if (!byHash.TryGetValue(link, out DecisionRecord? response) || response.Agent == closing.Agent)
                {
                    continue;
                }

                foreach (DecisionHash back in response.CrossLinks)
                {
                    if (byHash.TryGetValue(back, out DecisionRecord? opening) && opening.Agent == closing.Agent && opening.Sequence < closing.Sequence)
                    {
                        var interaction = new Interaction(opening, response, closing);
                        found.TryAdd(interaction.Id, interaction);
                    }
                }
            }
        }

        return [.. found.Values];
    }
}
