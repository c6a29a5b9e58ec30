using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.AI.Tools;

/// <summary>
/// One endpoint of a Synapse (or synapse-p2p) node as a tool an LLM can call: its name, description and the JSON
/// Schema of its arguments come from the node's generated descriptor, and invoking it calls the endpoint with the
/// model's arguments as keyword arguments. Nothing is reflected over: arguments go from JSON to MessagePack and the
/// result back to JSON.
/// </summary>
public sealed class SynapseFunction : AIFunction
{
    /// <summary>The most items of a streaming endpoint a tool call collects; the stream is stopped there.</summary>
    public const int MaxStreamItems = 1000;

    private readonly SynapseClient _client;
    private readonly JsonElement _schema;
    private readonly JsonElement? _returnSchema;

    /// <summary>Wraps endpoint <paramref name="endpoint"/> of the node <paramref name="client"/> calls.</summary>
    /// <param name="client">The connection to the node.</param>
    /// <param name="endpoint">The endpoint's descriptor (from <c>_synapse.methods</c> or a generated agent).</param>
    /// <param name="namePrefix">Put in front of the tool's name, to tell several nodes' tools apart (e.g. <c>"calculator_"</c>).</param>
    public SynapseFunction(SynapseClient client, EndpointDescriptor endpoint, string? namePrefix = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(endpoint);
        _client = client;
        Endpoint = endpoint;
        Name = ToolName((namePrefix ?? "") + endpoint.Name);
        _schema = ParseSchema(endpoint.InputSchema, endpoint.Name);
        _returnSchema = endpoint.OutputSchema.Length == 0 ? null : ParseSchema(endpoint.OutputSchema, endpoint.Name);
    }

    /// <summary>The endpoint this tool calls.</summary>
    public EndpointDescriptor Endpoint { get; }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override string Description => Endpoint.Description;

    /// <inheritdoc />
    public override JsonElement JsonSchema => _schema;

    /// <inheritdoc />
    public override JsonElement? ReturnJsonSchema => _returnSchema;

    /// <summary>
    /// A tool name models accept (letters, digits, <c>_</c> and <c>-</c>, at most 64 characters): other characters of an
    /// endpoint name (the dots of <c>billing.refund</c>) become <c>_</c>.
    /// </summary>
    public static string ToolName(string endpointName)
    {
        ArgumentNullException.ThrowIfNull(endpointName);
        var name = new StringBuilder(Math.Min(endpointName.Length, 64));
        foreach (var c in endpointName.AsSpan(0, Math.Min(endpointName.Length, 64)))
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        return name.Length == 0 ? "_" : name.ToString();
    }

    /// <summary>Calls the endpoint; its result as JSON (a streaming endpoint's items as an array).</summary>
    /// <exception cref="ArgumentException">An argument is of a type that has no JSON form.</exception>
    /// <exception cref="RpcException">The call failed.</exception>
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var keywords = new Dictionary<string, MsgPackValue>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments)
        {
            keywords[name] = ToMsgPack(name, value);
        }

        MsgPackValue result;
        if (Endpoint.Streaming)
        {
            var items = new List<MsgPackValue>();
            await foreach (var item in _client.StreamAsync(Endpoint.Name, kwargs: keywords, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                items.Add(item);
                if (items.Count == MaxStreamItems)
                {
                    break;
                }
            }

            result = MsgPackValue.FromArray(items);
        }
        else
        {
            result = await _client.CallAsync(Endpoint.Name, kwargs: keywords, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        using var json = JsonDocument.Parse(result.ToJson());
        return json.RootElement.Clone();
    }

    /// <summary>An argument as the model (a JSON element) or code (a plain value) gives it, in MessagePack.</summary>
    private static MsgPackValue ToMsgPack(string name, object? value) => value switch
    {
        null => MsgPackValue.Nil,
        MsgPackValue packed => packed,
        JsonElement element => MsgPackValue.ParseJson(element.GetRawText()),
        string text => text,
        bool flag => flag,
        int or long or short or sbyte or byte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong big => big,
        float or double or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"argument '{name}' is a {value.GetType().Name}; pass JSON (a JsonElement), a string, a number, a boolean or a MsgPackValue", nameof(value)),
    };

    private static JsonElement ParseSchema(string schema, string endpoint)
    {
        try
        {
            using var document = JsonDocument.Parse(schema);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"the schema of endpoint '{endpoint}' is not JSON: {e.Message}", nameof(schema), e);
        }
    }
}
