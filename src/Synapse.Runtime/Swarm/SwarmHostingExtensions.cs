using Synapse.Hosting;

namespace Synapse.Swarm;

/// <summary>Makes a host a swarm member: the swarm attaches itself to <see cref="AgentHostOptions"/> and is read back from the <see cref="AgentHost"/>.</summary>
public static class SwarmHostingExtensions
{
    extension(AgentHostOptions options)
    {
        /// <summary>
        /// Makes the host a member of a synapse-p2p v2 swarm (join, heartbeats, swarm asks); its swarm, team and kind
        /// replace <see cref="AgentHostOptions.Swarm"/>, <see cref="AgentHostOptions.Team"/> and
        /// <see cref="AgentHostOptions.Kind"/> in <c>_synapse.info</c>. <c>null</c> (the default) serves no swarm
        /// built-ins but <c>_synapse.peers</c>, which answers an empty list.
        /// </summary>
        public SwarmOptions? SwarmNode
        {
            get => options.Feature<SwarmFeature>()?.Options;
            set => options.SetFeature(value is null ? null : new SwarmFeature(value));
        }
    }

    extension(AgentHost host)
    {
        /// <summary>The host's swarm membership when <c>AgentHostOptions.SwarmNode</c> is set; available after <see cref="AgentHost.StartAsync"/>.</summary>
        public SwarmNode? SwarmNode => host.Service<SwarmNode>();
    }
}
