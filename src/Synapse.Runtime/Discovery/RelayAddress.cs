using Synapse.Identity;

namespace Synapse.Discovery;

/// <summary>A relay where an agent can be reached, as its card lists it.</summary>
/// <param name="Endpoint">How to reach the relay, e.g. <c>relay.example.org:7400</c>.</param>
/// <param name="RelayId">The relay's own id when known (the default value when not); a client can pin it.</param>
public readonly record struct RelayAddress(string Endpoint, AgentId RelayId = default)
{
    /// <inheritdoc />
    public override string ToString() => RelayId.IsDefault ? Endpoint : $"{Endpoint} ({RelayId})";
}
