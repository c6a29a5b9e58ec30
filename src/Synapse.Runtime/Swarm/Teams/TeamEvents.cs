using Synapse.MessagePack;

namespace Synapse.Swarm.Teams;

/// <summary>
/// The conversation events of synapse-p2p's teams (§1.11): each task is a conversation whose id is the task id, and
/// these kinds move it from offer to result.
/// </summary>
public static class TeamEvents
{
    /// <summary>A team offers a task: <c>{task_id, title, spec, requires, attempt}</c>.</summary>
    public const string Offer = "task.offer";

    /// <summary>A capable worker claims an offer: <c>{task_id, attempt, capabilities}</c>, its parent the offer.</summary>
    public const string Claim = "task.claim";

    /// <summary>The team grants the task to the first claim of the attempt: <c>{task_id, worker_id, worker_name}</c>.</summary>
    public const string Grant = "task.grant";

    /// <summary>The assignee reports progress: <c>{task_id, message, …}</c>; lease renewals add <c>heartbeat: true</c>.</summary>
    public const string Progress = "task.progress";

    /// <summary>The assignee's result: <c>{task_id, result}</c>; the first one wins.</summary>
    public const string Done = "task.done";

    /// <summary>The task failed: <c>{task_id, error}</c>.</summary>
    public const string Failed = "task.failed";

    internal static string? Text(MsgPackValue payload, string key) => payload[key] is { Type: MsgPackType.String } text ? text.AsString() : null;

    internal static long? Integer(MsgPackValue payload, string key) => payload[key] is { Type: MsgPackType.Integer } number ? number.AsInt64() : null;

    internal static IReadOnlyList<string> Texts(MsgPackValue payload, string key) =>
        payload[key] is { Type: MsgPackType.Array } list ? [.. list.AsArray().Where(v => v.Type == MsgPackType.String).Select(v => v.AsString())] : [];
}
