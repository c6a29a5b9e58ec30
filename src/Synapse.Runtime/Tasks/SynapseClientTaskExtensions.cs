using System.Runtime.CompilerServices;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Client;

namespace Synapse.Tasks;

/// <summary>Long-running tasks from a <see cref="SynapseClient"/>: start one, then follow it by id from this client or any other (see <c>docs/tasks.md</c>).</summary>
public static class SynapseClientTaskExtensions
{
    /// <summary>How many times in a row <c>WatchTaskAsync</c> subscribes again after a dropped connection.</summary>
    public const int ResubscribeAttempts = 4;

    extension(SynapseClient client)
    {
        /// <summary>Starts <paramref name="endpoint"/> as a task on the node and returns it as it stands (usually <c>working</c>).</summary>
        /// <param name="endpoint">The endpoint to run, or <c>_agent.ask</c>.</param>
        /// <param name="args">Positional arguments.</param>
        /// <param name="kwargs">Keyword arguments.</param>
        /// <param name="cancellationToken">Stops waiting for the answer; the task, once started, runs on.</param>
        /// <exception cref="RpcException">The node serves no tasks, the endpoint is unknown or not allowed, or the node is at its limit.</exception>
        public async Task<AgentTaskInfo> StartTaskAsync(
            string endpoint,
            IReadOnlyList<MsgPackValue>? args = null,
            IReadOnlyDictionary<string, MsgPackValue>? kwargs = null,
            CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            MsgPackValue[] arguments =
            [
                endpoint,
                MsgPackValue.FromArray(args ?? []),
                MsgPackValue.FromMap(kwargs ?? new Dictionary<string, MsgPackValue>()),
            ];
            return AgentTaskInfo.FromMsgPack(await client.CallAsync(AgentTaskBuiltins.Start, arguments, cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        /// <summary>The task <paramref name="taskId"/> as it stands.</summary>
        /// <exception cref="RpcException"><c>bad_request</c>: the node has no such task (expired, or never started there).</exception>
        public async Task<AgentTaskInfo> GetTaskAsync(string taskId, CancellationToken cancellationToken = default) =>
            AgentTaskInfo.FromMsgPack(await client.CallAsync(AgentTaskBuiltins.Get, [taskId], cancellationToken: cancellationToken).ConfigureAwait(false));

        /// <summary>Asks the task to stop. It ends <c>canceled</c> once its handler stopped; a finished task stays as it was.</summary>
        /// <exception cref="RpcException"><c>bad_request</c>: the node has no such task.</exception>
        public async Task<AgentTaskInfo> CancelTaskAsync(string taskId, CancellationToken cancellationToken = default) =>
            AgentTaskInfo.FromMsgPack(await client.CallAsync(AgentTaskBuiltins.Cancel, [taskId], cancellationToken: cancellationToken).ConfigureAwait(false));

        /// <summary>Answers the question of a task in <c>input-required</c>; it goes on working.</summary>
        /// <exception cref="RpcException"><c>bad_request</c>: the node has no such task, or it asks nothing now.</exception>
        public async Task<AgentTaskInfo> AnswerTaskAsync(string taskId, MsgPackValue answer, CancellationToken cancellationToken = default) =>
            AgentTaskInfo.FromMsgPack(await client.CallAsync(AgentTaskBuiltins.Input, [taskId, answer], cancellationToken: cancellationToken).ConfigureAwait(false));

        /// <summary>
        /// Follows a task: its updates after <paramref name="after"/> (state changes, progress, partial results) as they
        /// happen, ending with its final state. A dropped connection is followed by a new subscription from the last
        /// update seen, up to <see cref="ResubscribeAttempts"/> times in a row, so nothing is missed or repeated; where the
        /// node no longer keeps what was missed (it fell behind, or the node restarted), a
        /// <see cref="AgentTaskUpdateKind.Snapshot"/> stands in for it. Needs a multiplexed Synapse connection.
        /// </summary>
        /// <param name="taskId">The task.</param>
        /// <param name="after">The last update seen; 0 for all the node still keeps.</param>
        /// <param name="cancellationToken">Stops following (the task runs on).</param>
        /// <exception cref="RpcException">The node has no such task, the connection cannot carry a stream, or it dropped too many times.</exception>
        public async IAsyncEnumerable<AgentTaskUpdate> WatchTaskAsync(string taskId, long after = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(taskId);
            for (var failures = 0; ; failures++)
            {
                await using var updates = client.StreamAsync(AgentTaskBuiltins.Subscribe, [taskId, after], cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
                while (true)
                {
                    MsgPackValue update;
                    try
                    {
                        if (!await updates.MoveNextAsync().ConfigureAwait(false))
                        {
                            yield break;
                        }

                        update = updates.Current;
                    }
                    catch (RpcException e) when (e.Code == RpcErrorCodes.ConnectionFailed && failures < ResubscribeAttempts && !cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }

                    var parsed = AgentTaskUpdate.FromMsgPack(update);
                    (after, failures) = (parsed.Sequence, 0);
                    yield return parsed;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250 << failures), cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Waits for the task to end, following it (<c>WatchTaskAsync</c>), and returns its final state.</summary>
        /// <exception cref="RpcException">The node has no such task, or following it failed.</exception>
        public async Task<AgentTaskInfo> WaitForTaskAsync(string taskId, CancellationToken cancellationToken = default)
        {
            await foreach (var _ in client.WatchTaskAsync(taskId, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
            }

            return await client.GetTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        }
    }
}
