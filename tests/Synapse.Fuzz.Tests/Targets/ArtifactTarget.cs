using Synapse.Artifacts;
using Synapse.Fuzz.Tests.Engine;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>
/// A client reading an artifact a node served (<c>_synapse.artifact.get</c>, <c>synapse artifacts</c>):
/// <see cref="ServedArtifact.FromMsgPack"/>, then <see cref="ServedArtifact.Matches"/>, which re-encodes the content
/// as Python's canonical JSON to check its digest. Bad input is a <see cref="MsgPackException"/> or a
/// <c>protocol_error</c>; an artifact that does not match its digest is a value, not an exception.
/// </summary>
public sealed class ArtifactTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "artifact";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        yield return ServedArtifact.FromValue("agent-card", MsgPackValue.Map([("name", "reviewer"), ("capabilities", MsgPackValue.FromArray(["code-review"])), ("score", 0.5)])).ToMsgPack().ToBytes();
        yield return ServedArtifact.FromText("readme", "# héllo", "text/markdown").ToMsgPack().ToBytes();
        yield return ServedArtifact.FromBytes("logo", new byte[] { 1, 2, 3 }, "image/png").ToMsgPack().ToBytes();
        yield return ServedArtifact.FromText("notes", "x").DescriptorToMsgPack().ToBytes();
    }

    /// <inheritdoc />
    public override void Run(byte[] input) => ServedArtifact.FromMsgPack(MsgPackValue.Parse(input)).Matches();

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) =>
        exception is MsgPackException or RpcException { Code: RpcErrorCodes.ProtocolError };
}
