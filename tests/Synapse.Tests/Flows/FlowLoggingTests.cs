using System.Net;
using Microsoft.Extensions.Logging;
using Synapse.Flows;
using Synapse.Identity;
using Synapse.Envelopes;
using Synapse.Relay.Client;
using Synapse.Relay.Summoner;

namespace Synapse.Tests.Flows;

/// <summary>A flow run over a relay client logs through that client's logger factory, under the runner's type name.</summary>
public sealed class FlowLoggingTests
{
    private static readonly EndPoint Nowhere = new IPEndPoint(IPAddress.Loopback, 1);

    [Fact]
    public async Task A_flow_on_a_relay_client_logs_through_the_clients_factory()
    {
        var logs = new ListLoggerFactory();
        using var identity = AgentIdentity.Generate();
        using var encryption = EncryptionKeyPair.Derive(identity);
        await using var client = new RelayClient(identity, encryption, new RelayClientOptions { Relays = [new RelayEndpoint(Nowhere)] }, logs);

        await client.RunFlow(new Failing(), "room").HandleAsync("m");

        AssertFailureLogged(logs);
    }

    [Fact]
    public async Task A_flow_on_a_summoner_client_logs_through_the_clients_factory()
    {
        var logs = new ListLoggerFactory();
        await using var client = new SummonerRelayClient(new SummonerRelayClientOptions { Relays = [Nowhere] }, logs);

        await client.RunFlow(new Failing()).HandleAsync("m");

        AssertFailureLogged(logs);
    }

    private static void AssertFailureLogged(ListLoggerFactory logs)
    {
        var failure = Assert.Single(logs.Entries);
        Assert.Equal(("Synapse.Flows.FlowRunner", 400, LogLevel.Error), (failure.Category, failure.EventId.Id, failure.Level));
        Assert.Equal("Flow: boom failed; the flow goes on.", failure.Message);
        Assert.Equal("receiver bug", failure.Exception?.Message);
    }

    private sealed class Failing : IFlowNode<Failing>
    {
        public static FlowDefinition<Failing> Flow { get; } = new()
        {
            Receivers = [new FlowReceiver<Failing>("boom", FlowRoute.Objects(StateNode.State("a")), [], (_, _, _) => throw new InvalidOperationException("receiver bug"))],
            Senders = [],
            UploadStates = (_, _, _) => ValueTask.FromResult<object?>("a"),
        };
    }
}
