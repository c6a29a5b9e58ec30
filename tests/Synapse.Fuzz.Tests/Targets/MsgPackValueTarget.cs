using System.Buffers;
using Synapse.Fuzz.Tests.Engine;
using Synapse.MessagePack;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>Any MessagePack value a peer sends as arguments or results: <see cref="MsgPackValue.Parse(byte[], MsgPackReaderOptions?)"/>.</summary>
public sealed class MsgPackValueTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "msgpack-value";

    /// <summary>A value object per element plus its list slot: more per byte than the framed decoders.</summary>
    public override long AllocationPerByte => 128;

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        yield return MsgPackValue.Map(("name", "ada"), ("age", 36), ("tags", MsgPackValue.FromArray(["a", "b", MsgPackValue.Nil])), ("ratio", 0.25)).ToBytes();
        yield return MsgPackValue.FromArray([MsgPackValue.From(-1L), MsgPackValue.From(ulong.MaxValue), MsgPackValue.From(1.5f), MsgPackValue.FromBinary(new byte[40]), true]).ToBytes();
        yield return Timestamp();
        yield return MsgPackValue.FromArray([MsgPackValue.FromArray([MsgPackValue.FromArray([MsgPackValue.Map(("deep", MsgPackValue.FromArray([])))])])]).ToBytes();
        yield return MsgPackValue.From(new string('x', 300)).ToBytes();
    }

    private static byte[] Timestamp()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(output);
        writer.WriteArrayHeader(2);
        writer.WriteTimestamp(Fixtures.Start);
        writer.WriteExtension(5, "ext"u8);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public override void Run(byte[] input) => MsgPackValue.Parse(input);

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is MsgPackException;
}
