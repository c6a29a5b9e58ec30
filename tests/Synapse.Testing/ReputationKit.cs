using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.Reputation;

namespace Synapse.Testing;

/// <summary>An agent with a decision chain of its own, for building interactions.</summary>
internal sealed class Party : IDisposable
{
    private long _sequence;
    private DecisionHash _previous = DecisionHash.Zero;

    public AgentIdentity Identity { get; } = AgentIdentity.Generate();

    public AgentId Id => Identity.Id;

    public DecisionRecord Record(DecisionHash? cause = null, params DecisionHash[] peers)
    {
        _sequence++;
        var body = new DecisionBody
        {
            Agent = Id,
            Sequence = _sequence,
            Previous = _previous,
            TimestampMilliseconds = ReputationKit.Now.ToUnixTimeMilliseconds() - 86_400_000 + _sequence,
            Route = "review/submit",
            StatesBefore = ["doc:a"],
            StatesAfter = ["doc:b"],
            Trigger = "ok",
            Action = DecisionActions.Move,
            DataDigest = [],
            CauseMessageId = null,
            CauseHash = cause,
            PeerRefs = peers,
        };
        DecisionRecord record = DecisionRecord.Create(body, Identity);
        _previous = record.Hash;
        return record;
    }

    public void Dispose() => Identity.Dispose();
}

internal static class ReputationKit
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Records one interaction opened by <paramref name="initiator"/> into <paramref name="records"/>; returns its id.</summary>
    public static DecisionHash Interact(Party initiator, Party responder, List<DecisionRecord> records)
    {
        DecisionRecord opening = initiator.Record();
        DecisionRecord response = responder.Record(cause: opening.Hash);
        DecisionRecord closing = initiator.Record(null, response.Hash);
        records.AddRange([opening, response, closing]);
        return Interaction.Find([opening, response, closing]).Single().Id;
    }

    public static Party[] Parties(int count) => [.. Enumerable.Range(0, count).Select(_ => new Party())];

    public static void DisposeAll(IEnumerable<Party> parties)
    {
        foreach (Party party in parties)
        {
            party.Dispose();
        }
    }
}
