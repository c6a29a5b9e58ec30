using Synapse.Rpc;

namespace Synapse.Hosting;

/// <summary>
/// Something a host serves besides its agent (a swarm membership, reputation evidence), set on
/// <see cref="AgentHostOptions"/> by the feature's owner, never named by the host. Each host that starts with the
/// options attaches it once: the feature registers its built-ins (<see cref="BuiltinRegistry"/>) and returns what
/// runs alongside the host.
/// </summary>
internal interface IHostFeature
{
    /// <summary>Checks the feature's settings when a host is created with them.</summary>
    void Validate();

    /// <summary>The node as <c>_synapse.info</c> describes it, with the feature's changes; <paramref name="profile"/> when none.</summary>
    NodeProfile Describe(NodeProfile profile);

    /// <summary>
    /// Attaches the feature to a starting <paramref name="host"/>, after the host's own built-ins are registered:
    /// registers the feature's built-ins on <see cref="AgentHost.Builtins"/> and starts what runs with the host.
    /// </summary>
    /// <param name="host">The host, with its built-ins registered and its address known.</param>
    /// <param name="address">The address and port the host advertises.</param>
    /// <param name="stopping">Cancelled when the host stops.</param>
    /// <returns>The running part, which <see cref="AgentHost.Service{T}"/> finds and the host stops last.</returns>
    IHostService Attach(AgentHost host, HostAddress address, CancellationToken stopping);
}

/// <summary>The running part of an <see cref="IHostFeature"/> on one host.</summary>
internal interface IHostService
{
    /// <summary>Waits for the work it started to end, after the host's stopping token was cancelled.</summary>
    Task StopAsync();
}

/// <summary>The node as <c>_synapse.info</c> describes it beyond its agent.</summary>
/// <param name="Kind"><c>node</c> or <c>bootstrap</c>.</param>
/// <param name="Swarm">The swarm, or <c>null</c>.</param>
/// <param name="Team">The team.</param>
internal readonly record struct NodeProfile(string Kind, string? Swarm, string? Team);

/// <summary>Where a host can be dialled, as it advertises itself.</summary>
/// <param name="Address">The advertised address.</param>
/// <param name="Port">The bound (or configured) port.</param>
internal readonly record struct HostAddress(string Address, int Port);
