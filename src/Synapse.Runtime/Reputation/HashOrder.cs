using Synapse.Flows.Graph;

namespace Synapse.Reputation;

/// <summary>Orders hashes bytewise, the order every reputation computation sums in.</summary>
internal sealed class HashOrder : IComparer<DecisionHash>
{
    public static readonly HashOrder Instance = new();

    public int Compare(DecisionHash x, DecisionHash y) => x.Bytes.SequenceCompareTo(y.Bytes);
}
