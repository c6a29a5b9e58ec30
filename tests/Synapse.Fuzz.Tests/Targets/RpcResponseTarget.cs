using System.Buffers;
using Synapse.Fuzz.Tests.Engine;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>A client reading a response frame body: <see cref="RpcResponseParser"/> returns what was wrong.</summary>
public sealed class RpcResponseTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "rpc-response";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        var idToken = MsgPackValue.From("17").ToBytes();
        yield return RpcProtocol.EncodeErrorFrame(idToken, "bad_request", "payload must be a map")[4..];
        yield return MsgPackValue.Map(("id", "17"), ("ok", true), ("result", MsgPackValue.Map(("sum", 3))), ("error", MsgPackValue.Nil), ("type", "response")).ToBytes();
        yield return MsgPackValue.Map(("id", "3"), ("ok", false), ("result", MsgPackValue.Nil), ("error", MsgPackValue.Map(("code", "timeout"), ("message", "late"))), ("type", "response")).ToBytes();
        yield return MsgPackValue.Map(("id", "5"), ("type", "item"), ("value", MsgPackValue.Map(("seq", 1)))).ToBytes();
    }

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        // A client reads responses on every link, and stream items too on a multiplexed one that negotiated streams.
        foreach (var allowItems in (bool[])[false, true])
        {
            if (RpcResponseParser.TryParse(new ReadOnlySequence<byte>(input), MsgPackReaderOptions.Default, out var response, allowItems) is null && !response.Id.IsEmpty)
            {
                RpcResponseParser.ParseNumericId(response.Id);
            }
        }
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => false;
}
