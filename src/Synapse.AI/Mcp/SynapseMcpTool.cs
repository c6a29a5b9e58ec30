using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Synapse.AI.Tools;
using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Rpc;

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
            if (_endpoint.Streaming)
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
