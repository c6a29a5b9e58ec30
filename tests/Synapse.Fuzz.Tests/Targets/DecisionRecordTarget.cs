using Synapse.Flows.Graph;
using Synapse.Fuzz.Tests.Engine;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>Reading a peer's decision record: <see cref="DecisionRecord.Decode"/>.</summary>
public sealed class DecisionRecordTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "decision-record";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds() => Records().Select(r => r.Bytes.ToArray());

    /// <summary>Real records: a plain move and one with every optional field.</summary>
    public static IEnumerable<DecisionRecord> Records()
    {
        var first = DecisionRecord.Sign(Fixtures.Alice, new DecisionDraft { Route = "review/submit", Action = DecisionActions.Move }, 1, DecisionHash.Zero, Fixtures.Start);
        yield return first;
        yield return DecisionRecord.Sign(Fixtures.Alice, new DecisionDraft
        {
            Route = "review/submit",
            StatesBefore = ["doc:draft", "clé:état"],
            StatesAfter = ["doc:review"],
            Trigger = "ok",
            Action = DecisionActions.Stay,
            Data = new byte[] { 1, 2, 3 },
            CauseMessageId = new Guid("0b2f0b8e-6a53-4f0c-9a0e-3d2f3c1b5a01"),
            CauseHash = first.Hash,
            PeerRefs = [first.Hash],
        }, 2, first.Hash, Fixtures.Start.AddSeconds(1));
    }

    /// <inheritdoc />
    public override void Run(byte[] input) => DecisionRecord.Decode(input);

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is DecisionGraphException;
}
