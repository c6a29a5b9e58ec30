using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Reputation;

/// <summary>Cutting an evidence set to a size budget, in an order anyone can reproduce.</summary>
public sealed partial class EvidenceSet
{
    // The outer array header, the version, and the three item arrays' headers at their largest (array 32).
    private const int EncodingOverhead = 1 + 1 + (3 * 5);

    /// <summary>
    /// The largest prefix of this set's items, taken in the order below, whose encoding (<see cref="Encode"/>) is at
    /// most <paramref name="maxEncodedSize"/> bytes. Items go in groups, and the first group that does not fit ends
    /// the prefix:
    /// <list type="number">
    /// <item>each quarantine attestation about <paramref name="subject"/>, by hash;</item>
    /// <item>each report about <paramref name="subject"/>, by hash, together with the three records of the
    /// interaction it cites (those held and not already taken);</item>
    /// <item>the three records of every other interaction, by interaction id (these give reporters their
    /// credibility);</item>
    /// <item>every other item, one at a time: records, then reports, then attestations, each by hash.</item>
    /// </list>
    /// The most damaging evidence (quarantines), then the reports with what they cite, come first. A cut set is "at
    /// least this evidence exists", not a sample: cutting some of a reporter's reports gives the ones kept more
    /// weight each (the cap per reporter is shared by fewer), and cutting a newer report lets the older one it
    /// superseded count. <c>truncated</c> in the answer says so. When the whole set fits, the result holds every item.
    /// </summary>
    /// <param name="subject">The agent the evidence is about.</param>
    /// <param name="maxEncodedSize">The size budget, in bytes.</param>
    /// <returns>A new set; its <see cref="Count"/> is below this set's when items were cut.</returns>
    public EvidenceSet Fit(AgentId subject, int maxEncodedSize)
    {
        var fitted = new EvidenceSet();
        if (EstimatedSize(_records.Select(r => r.Bytes.Length).Concat(_reports.Select(r => r.Encoded.Length)).Concat(_quarantines.Select(q => q.Encoded.Length))) <= maxEncodedSize)
        {
            fitted.AddRange(this);
            return fitted;
        }

        long size = EncodingOverhead;
        foreach (Group group in Groups(subject))
        {
            List<Item> fresh = [.. group.Items.Where(item => !fitted._seen.Contains(item.Hash)).DistinctBy(item => item.Hash)];
            long grown = size + fresh.Sum(item => (long)BinSize(item.Length));
            if (grown > maxEncodedSize)
            {
                break;
            }

            size = grown;
            fresh.ForEach(item => item.AddTo(fitted));
        }

        return fitted;
    }

    private IEnumerable<Group> Groups(AgentId subject)
    {
        foreach (QuarantineAttestation q in _quarantines.Where(q => q.Subject == subject).OrderBy(q => q.Hash, HashOrder.Instance))
        {
            yield return new Group([Item.Of(q)]);
        }

        IReadOnlyList<Interaction> interactions = Interaction.Find(_records, SignaturesVerified);
        var byId = interactions.ToDictionary(i => i.Id);
        foreach (ReputationReport r in _reports.Where(r => r.Subject == subject).OrderBy(r => r.Hash, HashOrder.Instance))
        {
            yield return byId.TryGetValue(r.Interaction, out Interaction? cited)
                ? new Group([Item.Of(r), Item.Of(cited.Opening), Item.Of(cited.Response), Item.Of(cited.Closing)])
                : new Group([Item.Of(r)]);
        }

        foreach (Interaction i in interactions)
        {
            yield return new Group([Item.Of(i.Opening), Item.Of(i.Response), Item.Of(i.Closing)]);
        }

        foreach (DecisionRecord d in _records.OrderBy(d => d.Hash, HashOrder.Instance))
        {
            yield return new Group([Item.Of(d)]);
        }

        foreach (ReputationReport r in _reports.OrderBy(r => r.Hash, HashOrder.Instance))
        {
            yield return new Group([Item.Of(r)]);
        }

        foreach (QuarantineAttestation q in _quarantines.OrderBy(q => q.Hash, HashOrder.Instance))
        {
            yield return new Group([Item.Of(q)]);
        }
    }

    /// <summary>An upper bound of the encoded size of a set holding items of these stored lengths.</summary>
    private static long EstimatedSize(IEnumerable<int> lengths) => EncodingOverhead + lengths.Sum(length => (long)BinSize(length));

    /// <summary>The size of one item written as MessagePack bin 8, 16 or 32.</summary>
    private static int BinSize(int length) => length + (length <= byte.MaxValue ? 2 : length <= ushort.MaxValue ? 3 : 5);

    private sealed record Group(Item[] Items);

    private sealed record Item(DecisionHash Hash, int Length, Action<EvidenceSet> AddTo)
    {
        public static Item Of(DecisionRecord record) => new(record.Hash, record.Bytes.Length, set => set.Add(record));

        public static Item Of(ReputationReport report) => new(report.Hash, report.Encoded.Length, set => set.Add(report));

        public static Item Of(QuarantineAttestation attestation) => new(attestation.Hash, attestation.Encoded.Length, set => set.Add(attestation));
    }
}
