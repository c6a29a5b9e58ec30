namespace Synapse.Discovery.Lan;

/// <summary>A peer heard of in a response, with how long its records may be cached.</summary>
/// <param name="Peer">The announcement its records make.</param>
/// <param name="Ttl">The smallest TTL of those records (<see cref="LanRecords.PeerTtl"/>); never zero.</param>
internal readonly record struct LanHeard(LanAnnouncement Peer, TimeSpan Ttl);
