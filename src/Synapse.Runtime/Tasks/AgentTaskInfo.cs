using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Tasks;

/// <summary>
/// A task as it stands, as <c>_synapse.task.start</c>, <c>.get</c>, <c>.cancel</c> and <c>.input</c> answer:
/// <c>{"id", "endpoint", "state", "seq", "attempt", "created", "updated", "progress"?, "result"?, "error"?, "prompt"?}</c>,
/// times in seconds since the Unix epoch.
/// </summary>
/// <param name="Id">The task id.</param>
/// <param name="Endpoint">The endpoint it runs.</param>
/// <param name="State">Its state.</param>
/// <param name="Sequence">The number of its latest update: subscribe after it to follow from here.</param>
/// <param name="Attempt">Which run this is (a restarted host may run an unfinished task again).</param>
/// <param name="Created">When it was started.</param>
/// <param name="Updated">When its state last changed.</param>
/// <param name="Progress">The latest progress report, if any.</param>
/// <param name="Result">The result, once completed.</param>
/// <param name="ErrorCode">Why it failed or was cancelled.</param>
/// <param name="ErrorMessage">The message that goes with <paramref name="ErrorCode"/>.</param>
/// <param name="Prompt">What it asks, while input-required.</param>
public sealed record AgentTaskInfo(
    string Id,
    string Endpoint,
    AgentTaskState State,
    long Sequence,
    int Attempt,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    MsgPackValue? Progress,
    MsgPackValue? Result,
    string? ErrorCode,
    string? ErrorMessage,
    string? Prompt)
{
    /// <summary>The encoded form.</summary>
    public MsgPackValue ToMsgPack() => MsgPackValue.Map(
    [
        ("id", Id),
        ("endpoint", Endpoint),
        ("state", State.ToWire()),
        ("seq", Sequence),
        ("attempt", Attempt),
        ("created", Created.ToUnixTimeMilliseconds() / 1000.0),
        ("updated", Updated.ToUnixTimeMilliseconds() / 1000.0),
        .. WireMap.Optional("progress", Progress),
        .. WireMap.Optional("result", Result),
        .. WireMap.Error(ErrorCode, ErrorMessage),
        .. WireMap.Optional("prompt", Prompt),
    ]);

    /// <summary>Reads a task's description.</summary>
    /// <exception cref="RpcException"><c>protocol_error</c>: the value is not one, naming what is wrong.</exception>
    public static AgentTaskInfo FromMsgPack(MsgPackValue value) => WireMap.Read("task", value, fields => new AgentTaskInfo(
        fields.String("id"),
        fields.String("endpoint"),
        AgentTaskStates.Parse(fields.String("state")),
        fields.Integer("seq"),
        checked((int)fields.Integer("attempt")),
        fields.Time("created"),
        fields.Time("updated"),
        fields.Value("progress"),
        fields.Value("result"),
        fields.ErrorCode,
        fields.ErrorMessage,
        fields.OptionalString("prompt")));
}
