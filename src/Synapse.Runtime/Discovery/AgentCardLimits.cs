namespace Synapse.Discovery;

/// <summary>The bounds an agent card must keep; <see cref="AgentCard.Decode"/> checks each before decoding more.</summary>
public static class AgentCardLimits
{
    /// <summary>The largest encoded card, in bytes.</summary>
    public const int MaxEncodedSize = 64 * 1024;

    /// <summary>The longest name, role, capability name or relay endpoint, in UTF-8 bytes.</summary>
    public const int MaxNameLength = 256;

    /// <summary>The longest description (of the agent or of a capability), in UTF-8 bytes.</summary>
    public const int MaxDescriptionLength = 4096;

    /// <summary>The longest JSON schema, in UTF-8 bytes.</summary>
    public const int MaxSchemaLength = 16 * 1024;

    /// <summary>The most capabilities a card lists.</summary>
    public const int MaxCapabilities = 128;

    /// <summary>The most relays a card lists.</summary>
    public const int MaxRelays = 16;
}
