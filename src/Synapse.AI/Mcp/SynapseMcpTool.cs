using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Synapse.AI.Tools;
using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Tasks;

namespace Synapse.AI.Mcp;

/// <summary>
/// One endpoint of a Synapse (or synapse-p2p) node as an MCP tool: listed with the endpoint's description and JSON
/// Schema, called with the MCP client's arguments as keyword arguments. The endpoint's progress reports, and the items
/// of a streaming endpoint, go to the MCP client as progress notifications when it asked for them; a cancelled MCP
/// request cancels the call; an endpoint's error is a tool error naming its code.
/// </summary>
public sealed class SynapseMcpTool : McpServerTool
{
    private readonly SynapseClient _client;
    private readonly EndpointDescriptor _endpoint;

    /// <summary>Wraps endpoint <paramref name="endpoint"/> of the node <paramref name="client"/> calls.</summary>
    /// <param name="client">The connection to the node.</param>
    /// <param name="endpoint">The endpoint's descriptor.</param>
    /// <param name="namePrefix">Put in front of the tool's name.</param>
    public SynapseMcpTool(SynapseClient client, EndpointDescriptor endpoint, string? namePrefix = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(endpoint);
        _client = client;
        _endpoint = endpoint;
        using var schema = JsonDocument.Parse(endpoint.InputSchema);
        ProtocolTool = new Tool
        {
            Name = SynapseFunction.ToolName((namePrefix ?? "") + endpoint.Name),
            Description = endpoint.Description.Length > 0 ? endpoint.Description : null,
            InputSchema = schema.RootElement.Clone(),
        };
    }

    /// <inheritdoc />
    public override Tool ProtocolTool { get; }

    /// <summary>
    /// Whether a call runs as a long-running task on the node (which must serve tasks, see <c>docs/tasks.md</c>): the
    /// bridge follows the task, forwarding its progress and partial results as progress notifications, asks the MCP
    /// client's user the task's questions (MCP elicitation) and answers with what they enter, cancels the task when
    /// the request is cancelled, and follows it again after a dropped connection to the node.
    /// </summary>
    public bool RunsAsTask { get; init; }

    /// <inheritdoc />
    public override IReadOnlyList<object> Metadata => [];

    /// <inheritdoc />
    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keywords = new Dictionary<string, MsgPackValue>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Params?.Arguments ?? new Dictionary<string, JsonElement>())
        {
            keywords[name] = MsgPackValue.ParseJson(value.GetRawText());
        }

        var notify = request.Params?.ProgressToken is { } token ? new ProgressNotifier(request.Server, token, cancellationToken) : null;
        try
        {
            MsgPackValue result;
            if (RunsAsTask)
            {
                result = await RunAsTaskAsync(keywords, notify, request.Server, cancellationToken).ConfigureAwait(false);
            }
            else if (_endpoint.Streaming)
            {
                var items = new List<MsgPackValue>();
                await foreach (var item in _client.StreamAsync(_endpoint.Name, kwargs: keywords, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    items.Add(item);
                    notify?.Report(item);
                }

                result = MsgPackValue.FromArray(items);
            }
            else
            {
                result = await _client.CallAsync(_endpoint.Name, null, keywords, notify, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await (notify?.FlushAsync() ?? Task.CompletedTask).ConfigureAwait(false);
            return new CallToolResult { Content = [new TextContentBlock { Text = result.ToJson() }] };
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            await (notify?.FlushAsync() ?? Task.CompletedTask).ConfigureAwait(false);
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"{e.Code}: {e.Message}" }] };
        }
    }

    /// <summary>Starts the endpoint as a task and follows it to its result (an array of its items, for a streaming endpoint).</summary>
    /// <exception cref="RpcException">The task failed or was cancelled on the node, or its question went unanswered.</exception>
    private async Task<MsgPackValue> RunAsTaskAsync(Dictionary<string, MsgPackValue> keywords, IProgress<MsgPackValue>? notify, McpServer server, CancellationToken cancellationToken)
    {
        // Not cancelled midway: a start the node ran but whose answer was dropped would leave a task nobody cancels.
        var task = await _client.StartTaskAsync(_endpoint.Name, kwargs: keywords, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        using var cancel = cancellationToken.Register(() => _ = CancelQuietlyAsync(task.Id));
        var items = new List<MsgPackValue>();
        await foreach (var update in _client.WatchTaskAsync(task.Id, cancellationToken: CancellationToken.None).ConfigureAwait(false))
        {
            switch (update)
            {
                case { Kind: AgentTaskUpdateKind.Item, Value: { } item }:
                    items.Add(item);
                    notify?.Report(item);
                    break;
                case { Kind: AgentTaskUpdateKind.Progress, Value: { } report }:
                    notify?.Report(report);
                    break;
                case { State: AgentTaskState.InputRequired, Kind: not AgentTaskUpdateKind.Progress and not AgentTaskUpdateKind.Item }:
                    await AnswerAsync(task.Id, update.Prompt ?? "", server, cancellationToken).ConfigureAwait(false);
                    break;
                case { State: AgentTaskState.Completed } completed:
                    return _endpoint.Streaming ? MsgPackValue.FromArray(items) : completed.Value ?? MsgPackValue.Nil;
                case { IsFinal: true } ended:
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new RpcException(ended.ErrorCode ?? RpcErrorCodes.InternalError, ended.ErrorMessage ?? "the task failed") { Endpoint = _endpoint.Name };
            }
        }

        throw new RpcException(RpcErrorCodes.ProtocolError, $"task {task.Id} ended without a final state") { Endpoint = _endpoint.Name };
    }

    /// <summary>Asks the MCP client's user <paramref name="prompt"/> and answers the task; a refusal, or a client that cannot ask, cancels it.</summary>
    private async Task AnswerAsync(string taskId, string prompt, McpServer server, CancellationToken cancellationToken)
    {
        ElicitResult answer;
        try
        {
            answer = await server.ElicitAsync(new ElicitRequestParams
            {
                Message = prompt,
                RequestedSchema = new ElicitRequestParams.RequestSchema
                {
                    Properties = { [AnswerField] = new ElicitRequestParams.StringSchema { Description = "Your answer" } },
                    Required = [AnswerField],
                },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            await CancelQuietlyAsync(taskId).ConfigureAwait(false);
            throw new RpcException(RpcErrorCodes.BadRequest, $"{_endpoint.Name} asks '{prompt}', but this MCP client cannot ask its user (no elicitation)") { Endpoint = _endpoint.Name };
        }

        if (!answer.IsAccepted || answer.Content?.TryGetValue(AnswerField, out var value) != true)
        {
            await CancelQuietlyAsync(taskId).ConfigureAwait(false);
            throw new RpcException(RpcErrorCodes.Cancelled, $"{_endpoint.Name} asked '{prompt}' and the user did not answer ({answer.Action})") { Endpoint = _endpoint.Name };
        }

        await _client.AnswerTaskAsync(taskId, MsgPackValue.ParseJson(value.GetRawText()), cancellationToken).ConfigureAwait(false);
    }

    private async Task CancelQuietlyAsync(string taskId)
    {
        try
        {
            await _client.CancelTaskAsync(taskId).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // Gone already, or the node cannot be reached: the task ends on its own.
        }
    }

    private const string AnswerField = "answer";

    /// <summary>
    /// Turns progress reports (or stream items) into MCP progress notifications: the count so far, the value as JSON.
    /// One notification is on its way at a time, so they arrive in order; reports made meanwhile are coalesced to the
    /// latest. <see cref="FlushAsync"/> waits for the last one, so none trails the tool's result (a client drops
    /// progress of a request it has the answer to).
    /// </summary>
    private sealed class ProgressNotifier(McpServer server, ProgressToken token, CancellationToken cancellationToken) : IProgress<MsgPackValue>
    {
        private readonly Lock _gate = new();
        private int _count;
        private (int Count, MsgPackValue Value)? _waiting;
        private bool _busy;
        private Task _sending = Task.CompletedTask;

        public void Report(MsgPackValue value)
        {
            lock (_gate)
            {
                var report = (++_count, value);
                if (!_busy)
                {
                    _busy = true;
                    _sending = SendAsync(report);
                }
                else
                {
                    _waiting = report;
                }
            }
        }

        /// <summary>Waits until every report made so far was sent (or dropped).</summary>
        public Task FlushAsync()
        {
            lock (_gate)
            {
                return _sending;
            }
        }

        private async Task SendAsync((int Count, MsgPackValue Value) report)
        {
            while (true)
            {
                try
                {
                    await server.NotifyProgressAsync(token, new ProgressNotificationValue { Progress = report.Count, Message = report.Value.ToJson() }, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or McpException)
                {
                    // The client left or the call ended: this notification is dropped, the call goes on.
                }

                lock (_gate)
                {
                    if (_waiting is not { } next)
                    {
                        _busy = false;
                        return;
                    }

                    (report, _waiting) = (next, null);
                }
            }
        }
    }
}
