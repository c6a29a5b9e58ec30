using Synapse.Discovery;

namespace Synapse.Reputation;

/// <summary>A discovery result with the reputation of its agent.</summary>
/// <param name="Card">The agent card.</param>
/// <param name="Score">The agent's score.</param>
public sealed record RankedAgentCard(AgentCard Card, ReputationScore Score);

/// <summary>Orders and filters discovery results (<see cref="AgentCard"/>s) by reputation.</summary>
public static class AgentCardRanking
{
    /// <summary>
    /// Scores each card's agent from <paramref name="book"/>, drops those below <paramref name="minScore"/>, and orders
    /// the rest by score (highest first), then by the agent's <c>did:key</c> (ordinal), so the order is deterministic.
    /// </summary>
    /// <param name="cards">Discovery results, e.g. from <c>RelayClient.FindAgentsAsync</c>.</param>
    /// <param name="book">The evidence.</param>
    /// <param name="options">The formula's parameters.</param>
    /// <param name="minScore">The lowest score kept (0 keeps all).</param>
    /// <returns>The ranked cards.</returns>
    public static IReadOnlyList<RankedAgentCard> Order(IEnumerable<AgentCard> cards, ReputationBook book, ReputationOptions options, double minScore = 0)
    {
        ArgumentNullException.ThrowIfNull(cards);
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(options);
        return
        [
            .. cards
                .Select(card => new RankedAgentCard(card, book.Score(card.Agent, options)))
                .Where(ranked => ranked.Score.Value >= minScore)
                .OrderByDescending(ranked => ranked.Score.Value)
                .ThenBy(ranked => ranked.Card.Agent.ToString(), StringComparer.Ordinal),
        ];
    }
}
