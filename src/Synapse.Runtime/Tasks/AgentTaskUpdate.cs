using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Tasks;

/// <summary>
/// One update of a task, as <c>_synapse.task.subscribe</c> streams them:
/// <c>{"task", "seq", "kind", "state", "value"?, "error"?: {"code", "message"}, "prompt"?}</c>.
/// </summary>
/// <param name="TaskId">The task.</param>
/// <param name="Sequence">Its number among the task's updates; resubscribe after the last one seen to miss nothing.</param>
/// <param name="Kind">What it tells.</param>
/// <param name="State">The task's state with this update.</param>
/// <param name="Value">The progress report, the partial result, or the result (completed); for a snapshot the result or the latest progress.</param>
/// <param name="ErrorCode">Why the task failed or was cancelled.</param>
/// <param name="ErrorMessage">The message that goes with <paramref name="ErrorCode"/>.</param>
/// <param name="Prompt">What the task asks, in <see cref="AgentTaskState.InputRequired"/>.</param>
public sealed record AgentTaskUpdate(
    string TaskId,
    long Sequence,
    AgentTaskUpdateKind Kind,
    AgentTaskState State,
    MsgPackValue? Value,
    string? ErrorCode,
    string? ErrorMessage,
    string? Prompt)
{
    /// <summary>Whether this is the task's last update: its state is final.</summary>
    public bool IsFinal => State.IsFinal();

    /// <summary>The encoded update.</summary>
    public MsgPackValue ToMsgPack() => MsgPackValue.Map(
    [
        ("task", TaskId),
        ("seq", Sequence),
        ("kind", Kind switch
        {
            AgentTaskUpdateKind.State => "state",
            AgentTaskUpdateKind.Progress => "progress",
            AgentTaskUpdateKind.Item => "item",
            _ => "snapshot",
        }),
        ("state", State.ToWire()),
        .. WireMap.Optional("value", Value),
        .. WireMap.Error(ErrorCode, ErrorMessage),
        .. WireMap.Optional("prompt", Prompt),
    ]);

    /// <summary>Reads an update.</summary>
    /// <exception cref="RpcException"><c>protocol_error</c>: the value is not an update, naming what is wrong.</exception>
    public static AgentTaskUpdate FromMsgPack(MsgPackValue value) => WireMap.Read("task update", value, fields => new AgentTaskUpdate(
        fields.String("task"),
        fields.Integer("seq"),
        fields.String("kind") switch
        {
            "state" => AgentTaskUpdateKind.State,
            "progress" => AgentTaskUpdateKind.Progress,
            "item" => AgentTaskUpdateKind.Item,
            "snapshot" => AgentTaskUpdateKind.Snapshot,
            var other => throw new FormatException($"'kind' is '{other}', not state, progress, item or snapshot"),
        },
        AgentTaskStates.Parse(fields.String("state")),
        fields.Value("value"),
        fields.ErrorCode,
        fields.ErrorMessage,
        fields.OptionalString("prompt")));
}
