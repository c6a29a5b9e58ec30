using System.Buffers;
using Synapse.Relay;
using Xunit;

namespace Synapse.Tests.Relay;

public sealed class RelayFrameTests
{
    [Fact]
    public void Every_field_survives_a_round_trip()
    {
        var id = Guid.NewGuid();
        var frame = new RelayFrame { Op = RelayOp.Nack, MessageId = id, Room = "deals", Error = "mailbox_full", Message = "later", Retry = true, Envelope = new byte[] { 1, 2, 3 } };
        var decoded = Decode(frame.Encode());
        Assert.Equal(RelayOp.Nack, decoded.Op);
        Assert.Equal(id, decoded.MessageId);
        Assert.Equal("deals", decoded.Room);
        Assert.Equal("mailbox_full", decoded.Error);
        Assert.Equal("later", decoded.Message);
        Assert.True(decoded.Retry);
        Assert.Equal([1, 2, 3], decoded.Envelope.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(RelayFrame.MaxIdsPerFrame)]
    public void Batched_ids_round_trip_in_order(int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
        var decoded = Decode(RelayFrame.ForIds(RelayOp.Received, ids));
        Assert.Equal(RelayOp.Received, decoded.Op);
        Assert.Equal(ids, decoded.AllMessageIds());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void The_deliver_fast_path_writes_the_same_bytes_as_the_general_encoder(int size)
    {
        var envelope = new byte[size];
        Random.Shared.NextBytes(envelope);
        Assert.Equal(new RelayFrame { Op = RelayOp.Deliver, Envelope = envelope }.Encode(), RelayFrame.EncodeDeliver(envelope));
    }

    [Theory]
    [InlineData(new byte[] { 0x93, 1, 2, 3 }, "map")]
    [InlineData(new byte[] { 0x80 }, "no 'op'")]
    [InlineData(new byte[] { 0x81, 0xA2, (byte)'o', (byte)'p', 0xA3, (byte)'z', (byte)'a', (byte)'p' }, "unknown op 'zap'")]
    [InlineData(new byte[] { 0x81, 0xA2, (byte)'i', (byte)'d', 0xC4, 0x01, 0x00 }, "16 bytes")]
    [InlineData(new byte[] { 0x81, 0xA3, (byte)'i', (byte)'d', (byte)'s', 0xC4, 0x01, 0x00 }, "ids")]
    [InlineData(new byte[] { 0x80, 0x00 }, "trailing")]
    [InlineData(new byte[] { 0x81, 0xA2, (byte)'o' }, "malformed")]
    public void A_malformed_frame_is_refused_naming_the_problem(byte[] body, string problem)
    {
        var error = Assert.Throws<RelayProtocolException>(() => RelayFrame.Decode(new ReadOnlySequence<byte>(body)));
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Too_many_ids_are_refused()
    {
        var ids = Enumerable.Range(0, RelayFrame.MaxIdsPerFrame + 1).Select(_ => Guid.NewGuid()).ToList();
        var error = Assert.Throws<RelayProtocolException>(() => Decode(new RelayFrame { Op = RelayOp.Ack, MessageIds = ids }.Encode()));
        Assert.Contains($"1 to {RelayFrame.MaxIdsPerFrame} ids", error.Message);
    }

    private static RelayFrame Decode(byte[] frame) => RelayFrame.Decode(new ReadOnlySequence<byte>(frame, 4, frame.Length - 4));
}
