using Synapse.Identity;

namespace Synapse.Discovery.Kademlia;

/// <summary>
/// Picks an agent's home relay: among the relays known, the one whose id is XOR-closest to the agent's id. Every
/// party that knows the same relays picks the same one, so an agent's mailbox has one place to live; ties cannot
/// happen between distinct relay ids.
/// </summary>
public static class HomeRelay
{
    /// <summary>The relay id closest to <paramref name="agent"/>.</summary>
    /// <param name="agent">The agent.</param>
    /// <param name="relays">The relays known (duplicates are harmless).</param>
    /// <returns>The closest relay id.</returns>
    /// <exception cref="ArgumentException">No relays, or a default id among them.</exception>
    public static AgentId Pick(AgentId agent, IEnumerable<AgentId> relays) => Pick(agent, relays, static id => id);

    /// <summary>The relay closest to <paramref name="agent"/>, by the id <paramref name="idOf"/> gives each.</summary>
    /// <typeparam name="T">What a relay is described by (for example a <see cref="RelayAddress"/>).</typeparam>
    /// <param name="agent">The agent.</param>
    /// <param name="relays">The relays known.</param>
    /// <param name="idOf">A relay's id.</param>
    /// <returns>The closest relay (the first of equal ids).</returns>
    /// <exception cref="ArgumentException">No relays, or a relay without an id.</exception>
    public static T Pick<T>(AgentId agent, IEnumerable<T> relays, Func<T, AgentId> idOf)
    {
        ArgumentNullException.ThrowIfNull(relays);
        ArgumentNullException.ThrowIfNull(idOf);
        if (agent.IsDefault)
        {
            throw new ArgumentException("The agent id is empty.", nameof(agent));
        }

        bool found = false;
        T best = default!;
        AgentId bestId = default;
        foreach (T relay in relays)
        {
            AgentId id = idOf(relay);
            if (id.IsDefault)
            {
                throw new ArgumentException("A relay has no id; a home relay is picked among relays with known ids.", nameof(relays));
            }

            if (!found || XorDistance.CompareDistance(agent, id, bestId) < 0)
            {
                (best, bestId, found) = (relay, id, true);
            }
        }

        return found ? best : throw new ArgumentException("No relays to pick a home relay from.", nameof(relays));
    }
}
