using System.Buffers;
using Synapse.Discovery;
using Synapse.Fuzz.Tests.Engine;
using Synapse.Relay;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>A relay or relay client reading a frame body: <see cref="RelayFrame.Decode"/>.</summary>
public sealed class RelayFrameTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "relay-frame";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        var ids = new[] { new Guid("0b2f0b8e-6a53-4f0c-9a0e-3d2f3c1b5a01"), new Guid("7f0e4c1d-2b3a-4c5d-8e9f-0a1b2c3d4e5f") };
        byte[][] frames =
        [
            RelayFrame.ForIds(RelayOp.Ack, ids),
            RelayFrame.ForIds(RelayOp.Received, ids[..1]),
            RelayFrame.Notice("quarantined", "too many messages"),
            RelayFrame.Nack(ids[0], "full", "mailbox full", retry: true),
            RelayFrame.EncodeDeliver(new byte[48]),
            new RelayFrame { Op = RelayOp.Send, Envelope = new byte[64] }.Encode(),
            new RelayFrame { Op = RelayOp.Join, Room = "ops" }.Encode(),
            new RelayFrame { Op = RelayOp.PublishCard, Card = new byte[80] }.Encode(),
            new RelayFrame { Op = RelayOp.Find, Query = new AgentQuery { Capability = "translate", Text = "fr", PageSize = 10 } }.Encode(),
            new RelayFrame { Op = RelayOp.Found, Cards = [new byte[20], new byte[30]], NextPageToken = "abc" }.Encode(),
        ];
        return frames.Select(f => f[4..]);
    }

    /// <inheritdoc />
    public override void Run(byte[] input) => RelayFrame.Decode(new ReadOnlySequence<byte>(input));

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is RelayProtocolException;
}
