using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Tasks;

namespace Synapse.Swarm.Teams;

/// <summary>Worker handlers that drive team tasks through the long-running task API (<c>_synapse.task.*</c>).</summary>
public static class SwarmTaskHandlers
{
    /// <summary>
    /// A handler that runs each team task as a long-running task of <paramref name="endpoint"/> on the node
    /// <paramref name="client"/> reaches (this worker's own host, or another): the team task's spec is the endpoint's
    /// keyword arguments; its progress becomes <c>task.progress {message: "progress", progress, agent_task}</c>, at most
    /// one per <paramref name="progressInterval"/> (which renews the lease too); its result is the team task's result;
    /// its failure, cancellation or question (a team task cannot answer one) fails the team task. A dropped connection
    /// is resubscribed, as <c>WatchTaskAsync</c> does; when the worker stops, the task is cancelled.
    /// </summary>
    /// <param name="client">A client of the node that serves <paramref name="endpoint"/> with tasks on.</param>
    /// <param name="endpoint">The endpoint each team task runs.</param>
    /// <param name="progressInterval">The least time between two progress events; one second when <c>null</c>.</param>
    public static SwarmTaskHandler RunAsTask(SynapseClient client, string endpoint, TimeSpan? progressInterval = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        var interval = progressInterval ?? TimeSpan.FromSeconds(1);
        return async (assignment, cancellationToken) =>
        {
            var kwargs = assignment.Spec.AsMap().Where(e => e.Key.Type == MsgPackType.String).ToDictionary(e => e.Key.AsString(), e => e.Value, StringComparer.Ordinal);
            var started = await client.StartTaskAsync(endpoint, null, kwargs, cancellationToken).ConfigureAwait(false);
            var lastReport = DateTimeOffset.MinValue;
            try
            {
                await foreach (var update in client.WatchTaskAsync(started.Id, 0, cancellationToken).ConfigureAwait(false))
                {
                    if (update.Kind == AgentTaskUpdateKind.Progress && DateTimeOffset.UtcNow - lastReport >= interval)
                    {
                        lastReport = DateTimeOffset.UtcNow;
                        await assignment.ProgressAsync("progress", new Dictionary<string, MsgPackValue> { ["progress"] = update.Value ?? MsgPackValue.Nil, ["agent_task"] = started.Id }, cancellationToken).ConfigureAwait(false);
                    }

                    if (update.State == AgentTaskState.InputRequired)
                    {
                        await client.CancelTaskAsync(started.Id, cancellationToken).ConfigureAwait(false);
                        throw new InvalidOperationException($"{endpoint} asks for input ('{update.Prompt}'), which a team task cannot give");
                    }

                    if (update.IsFinal)
                    {
                        return update.State == AgentTaskState.Completed
                            ? update.Value ?? MsgPackValue.Nil
                            : throw new InvalidOperationException($"{endpoint} {update.State.ToWire()}: {update.ErrorMessage ?? update.ErrorCode}");
                    }
                }

                throw new InvalidOperationException($"{endpoint}: the task's updates ended before it did");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await client.CancelTaskAsync(started.Id, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The node is gone too; its task ends with it.
                }

                throw;
            }
        };
    }
}
