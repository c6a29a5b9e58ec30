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

    /// <summary>The task an event is about: its payload's <c>task_id</c>, else its conversation.</summary>
    internal static string TaskId(SwarmConversationEvent e) => Text(e.Payload, "task_id") ?? e.ConversationId;

    /// <summary>Reads a <c>task.offer</c> event; what it lacks takes the defaults (no title, an empty spec, attempt 1).</summary>
    internal static TeamOffer ReadOffer(SwarmConversationEvent offer) => new(
        TaskId(offer),
        Text(offer.Payload, "title") ?? "",
        offer.Payload["spec"] is { Type: MsgPackType.Map } spec ? spec : SwarmConversationEvent.EmptyMap,
        Texts(offer.Payload, "requires"),
        Integer(offer.Payload, "attempt") ?? 1);

    /// <summary>Emits a team event through <paramref name="node"/>; a failure is logged, cancellation by <paramref name="cancellationToken"/> is quiet.</summary>
    internal static async Task EmitAsync(SwarmNode node, string taskId, string kind, MsgPackValue payload, string? parentId, CancellationToken cancellationToken = default)
    {
        try
        {
            await node.EmitAsync(taskId, kind, payload, parentId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            SwarmLog.TeamEventFailed(node.Logger, e, kind, taskId);
        }
    }

    internal static string? Text(MsgPackValue payload, string key) => payload[key] is { Type: MsgPackType.String } text ? text.AsString() : null;

    internal static long? Integer(MsgPackValue payload, string key) => payload[key] is { Type: MsgPackType.Integer } number ? number.AsInt64() : null;

    internal static IReadOnlyList<string> Texts(MsgPackValue payload, string key) =>
        payload[key] is { Type: MsgPackType.Array } list ? [.. list.AsArray().Where(v => v.Type == MsgPackType.String).Select(v => v.AsString())] : [];
}

/// <summary>A <c>task.offer</c> as read from its event.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Title">What it is.</param>
/// <param name="Spec">Its details, a map.</param>
/// <param name="Requires">The capabilities a worker needs.</param>
/// <param name="Attempt">Which attempt it offers, from 1.</param>
internal sealed record TeamOffer(string TaskId, string Title, MsgPackValue Spec, IReadOnlyList<string> Requires, long Attempt);
