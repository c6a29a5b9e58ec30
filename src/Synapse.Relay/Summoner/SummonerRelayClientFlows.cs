using System.Text.Json.Nodes;
using Synapse.Flows;

namespace Synapse.Relay.Summoner;

/// <summary>Runs nodes' flows over a Summoner relay.</summary>
public static class SummonerRelayClientFlows
{
    /// <summary>
    /// Runs <paramref name="agent"/>'s flow on a Summoner relay connection: each relayed message (not the relay's
    /// notices) reaches the flow as the <see cref="SummonerMessage"/>; what senders return is sent as the line's
    /// payload (<see cref="JsonNode"/>, <c>string</c>, <c>bool</c>, <c>int</c>, <c>long</c> or <c>double</c>).
    /// The runner logs through the client's logger factory.
    /// </summary>
    public static FlowRunner<TAgent> RunFlow<TAgent>(this SummonerRelayClient client, TAgent agent, FlowRunnerOptions? options = null)
        where TAgent : IFlowNode<TAgent>
    {
        ArgumentNullException.ThrowIfNull(client);
        var runner = new FlowRunner<TAgent>(agent, TAgent.Flow, (payload, cancellationToken) => client.SendAsync(ToJson(payload), cancellationToken), options, client.LoggerFactory);
        client.OnMessage(async (message, cancellationToken) =>
        {
            if (!message.IsNotice)
            {
                await runner.HandleAsync(message, new FlowMessageContext(null, message.RemoteAddress, default), cancellationToken).ConfigureAwait(false);
            }
        });
        return runner;
    }

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
