namespace Synapse.Reputation;

/// <summary>The limits of an encoded <see cref="EvidenceSet"/>.</summary>
public static class EvidenceLimits
{
    /// <summary>The largest encoded set, in bytes.</summary>
    public const int MaxEncodedSize = 16 * 1024 * 1024;

    /// <summary>The most items (records, reports and attestations together) in one set.</summary>
    public const int MaxItems = 65_536;
}
