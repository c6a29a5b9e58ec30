using Synapse.Swarm;

namespace Synapse.Hosting;

/// <summary>Names an app gave to what it added, kept with its services.</summary>
internal abstract class AddedNames
{
    public HashSet<string> Set { get; } = new(StringComparer.Ordinal);
}

/// <summary>The names of the agents an app added (running or not).</summary>
internal sealed class AgentNames : AddedNames;

/// <summary>The names of the relay clients an app added.</summary>
internal sealed class RelayClientNames : AddedNames;

/// <summary>An agent's swarm added in code (<c>AddSwarm</c>), kept with the services under the agent's name.</summary>
internal sealed record AgentSwarm(Action<SwarmOptions> Configure);
