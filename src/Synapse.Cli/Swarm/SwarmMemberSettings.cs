using Synapse.Client;

namespace Synapse.Cli.Swarm;

/// <summary>How the tool joins a swarm: through which seed, as what, with what liveness settings.</summary>
/// <param name="Seed">The member to join through.</param>
/// <param name="Swarm">The swarm to join; <c>null</c> for the seed's.</param>
/// <param name="Team">The team to join; <c>null</c> for the seed's.</param>
/// <param name="Name">The name peers see.</param>
/// <param name="Heartbeat">Between heartbeats to every peer.</param>
/// <param name="PeerTimeout">How long a peer may stay silent before it is dropped.</param>
internal sealed record SwarmMemberSettings(NodeAddress Seed, string? Swarm, string? Team, string Name, TimeSpan Heartbeat, TimeSpan PeerTimeout);
