namespace Synapse.Hosting;

/// <summary>The names of the agents an app added (running or not), kept with its services.</summary>
internal sealed class AgentNames
{
    public HashSet<string> Set { get; } = new(StringComparer.Ordinal);
}
