using System.Text;
using System.Buffers;
using Synapse.Client;
using Synapse.Fuzz.Tests.Engine;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>
/// A host reading a request frame body: <see cref="RpcRequestParser"/> reports bad input as a returned message,
/// never an exception; the id is then turned into the token the response echoes, as the host does.
/// </summary>
public sealed class RpcRequestTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "rpc-request";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        using (var plain = RequestFrame.Encode("echo", "1", 0, null, null))
        {
            yield return plain.Frame[4..].ToArray();
        }

        using (var cancel = RequestFrame.EncodeCancel("42"))
        {
            yield return cancel.Frame[4..].ToArray();
        }

        using (var credit = RequestFrame.EncodeCredit("42", 8))
        {
            yield return credit.Frame[4..].ToArray();
        }

        using (var withArgs = RequestFrame.Encode("sum", "7", (A: 3, B: "x"), static (ref MsgPackWriter w, in (int A, string B) a) =>
        {
            w.WriteArrayHeader(2);
            w.WriteInt32(a.A);
            w.WriteString(a.B);
        }, static (ref MsgPackWriter w, in (int A, string B) a) =>
        {
            w.WriteMapHeader(1);
            w.WriteString("flag");
            w.WriteBoolean(true);
        }))
        {
            yield return withArgs.Frame[4..].ToArray();
        }

        using (var traced = RequestFrame.Encode("echo", "2", 0, null, null, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=value"))
        {
            yield return traced.Frame[4..].ToArray();
        }

        yield return MsgPackValue.Map(("endpoint", 5), ("id", 9), ("args", MsgPackValue.FromArray([1.5, MsgPackValue.Nil])), ("type", "request")).ToBytes();
    }

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        if (RpcRequestParser.TryParse(new ReadOnlySequence<byte>(input), MsgPackReaderOptions.Default, allowCancel: true, out var request) is null
            && !request.Id.IsEmpty)
        {
            var reader = new MsgPackReader(request.Id, MsgPackReaderOptions.Default);
            RpcProtocol.EncodeIdToken(ref reader, new ArrayBufferWriter<byte>());
        }

        if (!request.TraceParent.IsEmpty)
        {
            // What the host does with it when a listener traces calls.
            System.Diagnostics.ActivityContext.TryParse(
                EncodingExtensions.GetString(System.Text.Encoding.UTF8, request.TraceParent),
                request.TraceState.IsEmpty ? null : EncodingExtensions.GetString(System.Text.Encoding.UTF8, request.TraceState),
                isRemote: true,
                out _);
        }
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => false;
}
