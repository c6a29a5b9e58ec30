namespace Synapse.Flows.Graph;

/// <summary>
/// Bounds on a decision record, enforced when a draft is appended and when stored or received bytes are decoded,
/// so a hostile record cannot make a reader allocate without limit.
/// </summary>
public static class DecisionLimits
{
    /// <summary>The largest encoded record, signature included (64 KiB).</summary>
    public const int MaxRecordSize = 64 * 1024;

    /// <summary>The longest route, trigger, action or state, in UTF-8 bytes.</summary>
    public const int MaxTextLength = 1024;

    /// <summary>The most states before or after a transition.</summary>
    public const int MaxStates = 256;

    /// <summary>The most peer references in one record.</summary>
    public const int MaxPeerRefs = 256;
}
