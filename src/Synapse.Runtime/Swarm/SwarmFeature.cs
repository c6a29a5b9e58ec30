using Synapse.Hosting;

namespace Synapse.Swarm;

/// <summary>
/// A host's swarm membership as a host feature: set by <see cref="SwarmHostingExtensions"/>, it makes each host that
/// starts with the options a <see cref="SwarmNode"/>, which registers the swarm built-ins and runs until the host stops.
/// </summary>
internal sealed class SwarmFeature(SwarmOptions options) : IHostFeature
{
    /// <summary>The settings every node started from this feature uses.</summary>
    public SwarmOptions Options { get; } = options;

    public void Validate() => Options.Validate();

    /// <summary>The swarm's kind, swarm and team replace the host's.</summary>
    public NodeProfile Describe(NodeProfile profile) => new(Options.Kind, Options.Swarm, Options.Team);

    public IHostService Attach(AgentHost host, HostAddress address, CancellationToken stopping)
    {
        var node = new SwarmNode(host, Options, SelfPeer(host, address));
        node.Register(host.Builtins, host.OwnBuiltins.NodeInfo);
        node.Start(stopping);
        return node;
    }

    private SwarmPeer SelfPeer(AgentHost host, HostAddress address) => new(host.NodeId, Options.AdvertisedAddress ?? address.Address, Options.AdvertisedPort ?? address.Port)
    {
        Swarm = Options.Swarm,
        Team = Options.Team,
        Name = host.Descriptor.Name,
        Kind = Options.Kind,
        Capabilities = [.. host.Descriptor.Capabilities.Select(c => c.Name).Concat(host.Descriptor.Endpoints.Where(e => e.Publish).Select(e => e.Name)).Distinct(StringComparer.Ordinal)],
    };
}
