using Synapse.Fuzz.Tests.Engine;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Tasks;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>
/// A client reading what a node says about a task: the answer of <c>_synapse.task.get</c> (<see cref="AgentTaskInfo"/>)
/// and the updates of <c>_synapse.task.subscribe</c> (<see cref="AgentTaskUpdate"/>). Bad input is a
/// <see cref="MsgPackException"/> or a <c>protocol_error</c> naming the field.
/// </summary>
public sealed class TaskMessageTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "task-message";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_000);
        yield return new AgentTaskInfo("0123456789abcdef0123456789abcdef", "build", AgentTaskState.Completed, 6, 1, now, now, 3, "done", null, null, null).ToMsgPack().ToBytes();
        yield return new AgentTaskInfo("0123456789abcdef0123456789abcdef", "build", AgentTaskState.Failed, 4, 2, now, now, null, null, "internal_error", "boom", null).ToMsgPack().ToBytes();
        yield return new AgentTaskUpdate("0123456789abcdef0123456789abcdef", 3, AgentTaskUpdateKind.Progress, AgentTaskState.Working, MsgPackValue.Map([("done", 1)]), null, null, null).ToMsgPack().ToBytes();
        yield return new AgentTaskUpdate("0123456789abcdef0123456789abcdef", 4, AgentTaskUpdateKind.State, AgentTaskState.InputRequired, null, null, null, "go on?").ToMsgPack().ToBytes();
    }

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        var value = MsgPackValue.Parse(input);
        Decode(() => AgentTaskInfo.FromMsgPack(value));
        Decode(() => AgentTaskUpdate.FromMsgPack(value));
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) =>
        exception is MsgPackException or RpcException { Code: RpcErrorCodes.ProtocolError };

    private static void Decode(Action decode)
    {
        try
        {
            decode();
        }
        catch (RpcException e) when (e.Code == RpcErrorCodes.ProtocolError)
        {
            // Refused, as documented: go on with the other reader.
        }
    }
}
