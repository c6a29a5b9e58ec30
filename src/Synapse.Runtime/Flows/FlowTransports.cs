using System.Text;
using System.Text.Json.Nodes;
using Synapse.Envelopes;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Relay.Summoner;

namespace Synapse.Flows;

/// <summary>A payload a flow sender addresses to one agent through a relay, instead of the flow's room.</summary>
/// <param name="To">The recipient's certified encryption key.</param>
/// <param name="Payload">The payload, sealed to the recipient.</param>
public sealed record DirectMessage(EncryptionKeyCertificate To, ReadOnlyMemory<byte> Payload);

/// <summary>Runs nodes' flows over the transports agents share: a Synapse relay (rooms and direct messages) or a Summoner relay.</summary>
public static class FlowTransports
{
    /// <summary>
    /// Runs <paramref name="agent"/>'s flow on a relay connection: each message the client receives (room or direct)
    /// reaches the flow as the <see cref="RelayMessage"/>; what senders return is published to <paramref name="room"/>
    /// (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>, or a <c>string</c> as UTF-8) or sent to one agent
    /// (<see cref="DirectMessage"/>). The flow survives reconnects and failover: the client re-joins and resends.
    /// Start the senders with <see cref="FlowRunner{TAgent}.RunAsync"/>.
    /// </summary>
    /// <param name="client">A started or starting relay client that has joined (or will join) <paramref name="room"/>.</param>
    /// <param name="agent">The node.</param>
    /// <param name="room">Where senders' payloads go by default.</param>
    /// <param name="options">Runner options.</param>
    public static FlowRunner<TAgent> RunFlow<TAgent>(this RelayClient client, TAgent agent, string room, FlowRunnerOptions? options = null)
        where TAgent : IFlowNode<TAgent>
    {
        ArgumentNullException.ThrowIfNull(client);
        var recorder = options?.Recorder;
        var runner = new FlowRunner<TAgent>(agent, TAgent.Flow, (payload, cancellationToken) =>
        {
            _ = payload switch
            {
                DirectMessage direct => client.Send(direct.To, FlowEnvelope.Wrap(recorder, direct.Payload.Span)),
                byte[] bytes => client.Publish(room, FlowEnvelope.Wrap(recorder, bytes)),
                ReadOnlyMemory<byte> memory => client.Publish(room, FlowEnvelope.Wrap(recorder, memory.Span)),
                string text => client.Publish(room, FlowEnvelope.Wrap(recorder, Encoding.UTF8.GetBytes(text))),
                _ => throw new ArgumentException($"A flow on a relay sends byte[], ReadOnlyMemory<byte>, string or DirectMessage, not {payload.GetType().Name}."),
            };
            return ValueTask.CompletedTask;
        }, options);
        client.OnMessage((message, cancellationToken) =>
        {
            FlowEnvelope.Unwrap(message.Payload, out var senderRecord, out var content);
            var context = new FlowMessageContext(message.MessageId, message.Sender.ToString(), senderRecord);
            return Ignore(runner.HandleAsync(message.WithPayload(content), context, cancellationToken));
        });
        return runner;
    }

    /// <summary>
    /// Runs <paramref name="agent"/>'s flow on a Summoner relay connection: each relayed message (not the relay's
    /// notices) reaches the flow as the <see cref="SummonerMessage"/>; what senders return is sent as the line's
    /// payload (<see cref="JsonNode"/>, <c>string</c>, <c>bool</c>, <c>int</c>, <c>long</c> or <c>double</c>).
    /// </summary>
    public static FlowRunner<TAgent> RunFlow<TAgent>(this SummonerRelayClient client, TAgent agent, FlowRunnerOptions? options = null)
        where TAgent : IFlowNode<TAgent>
    {
        ArgumentNullException.ThrowIfNull(client);
        var runner = new FlowRunner<TAgent>(agent, TAgent.Flow, (payload, cancellationToken) => client.SendAsync(ToJson(payload), cancellationToken), options);
        client.OnMessage((message, cancellationToken) => message.IsNotice
            ? ValueTask.CompletedTask
            : Ignore(runner.HandleAsync(message, new FlowMessageContext(null, message.RemoteAddress, default), cancellationToken)));
        return runner;
    }

    private static async ValueTask Ignore(ValueTask<IReadOnlyList<FlowTransition>> handling) => await handling.ConfigureAwait(false);

    private static JsonNode ToJson(object payload) => payload switch
    {
        JsonNode node => node,
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        double number => JsonValue.Create(number),
        _ => throw new ArgumentException($"A flow on a Summoner relay sends JsonNode, string, bool, int, long or double, not {payload.GetType().Name}."),
    };
}
