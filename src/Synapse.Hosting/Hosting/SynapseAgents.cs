using System.Collections.Concurrent;

namespace Synapse.Hosting;

/// <summary>The agents an app runs, by the name each was added with; an agent is here while its host runs.</summary>
public sealed class SynapseAgents
{
    private readonly ConcurrentDictionary<string, AgentHost> _hosts = new(StringComparer.Ordinal);

    /// <summary>The host of the named agent.</summary>
    /// <param name="name">The name given to <see cref="SynapseServiceCollectionExtensions.AddAgent{TAgent}"/>.</param>
    /// <returns>Its running host.</returns>
    /// <exception cref="InvalidOperationException">No agent of that name is running.</exception>
    public AgentHost this[string name] => _hosts.TryGetValue(name, out var host) ? host
        : throw new InvalidOperationException($"No agent named '{name}' is running (running: {(_hosts.IsEmpty ? "none" : string.Join(", ", _hosts.Keys.Order(StringComparer.Ordinal)))}).");

    /// <summary>The names of the running agents.</summary>
    public IReadOnlyCollection<string> Names => [.. _hosts.Keys];

    internal void Started(string name, AgentHost host) => _hosts[name] = host;

    internal void Stopped(string name) => _hosts.TryRemove(name, out _);
}
