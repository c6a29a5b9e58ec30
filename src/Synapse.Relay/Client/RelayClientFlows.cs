using System.Text;
using Synapse.Envelopes;
using Synapse.Flows;

namespace Synapse.Relay.Client;

/// <summary>A payload a flow sender addresses to one agent through a relay, instead of the flow's room.</summary>
/// <param name="To">The recipient's certified encryption key.</param>
/// <param name="Payload">The payload, sealed to the recipient.</param>
public sealed record DirectMessage(EncryptionKeyCertificate To, ReadOnlyMemory<byte> Payload);

/// <summary>Runs nodes' flows over a Synapse relay: its rooms and direct messages.</summary>
public static class RelayClientFlows
{
    /// <summary>
    /// Runs <paramref name="agent"/>'s flow on a relay connection: each message the client receives (room or direct)
    /// reaches the flow as the <see cref="RelayMessage"/>; what senders return is published to <paramref name="room"/>
    /// (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>, or a <c>string</c> as UTF-8) or sent to one agent
    /// (<see cref="DirectMessage"/>). The flow survives reconnects and failover: the client re-joins and resends.
    /// Start the senders with <see cref="FlowRunner{TAgent}.RunAsync"/>. The runner logs through the client's logger factory.
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
        }, options, client.LoggerFactory);
        client.OnMessage(async (message, cancellationToken) =>
        {
            FlowEnvelope.Unwrap(message.Payload, out var senderRecord, out var content);
            var context = new FlowMessageContext(message.MessageId, message.Sender.ToString(), senderRecord);
            await runner.HandleAsync(message.WithPayload(content), context, cancellationToken).ConfigureAwait(false);
        });
        return runner;
    }
}
