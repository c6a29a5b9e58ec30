using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Envelopes;
using Synapse.Flows;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Relay.Configuration;
using Synapse.Relay.Summoner;
using Synapse.Tests.Relay;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Flows;

/// <summary>Flows between two agents over a Synapse relay (a room, with failover) and over the Summoner listener.</summary>
public sealed class FlowTransportTests
{
    private static readonly Signal Ok = new([0], "ok", "ok");

    [Fact]
    public async Task Two_flows_play_ping_pong_in_a_relay_room_and_carry_on_after_failover()
    {
        var (first, _) = await StartRelayAsync();
        var (second, _) = await StartRelayAsync();
        await using var __ = second;
        await using var pinger = await Agent("pinger", first, second).StartAsync();
        await using var ponger = await Agent("ponger", first, second).StartAsync();
        using var roomKey = await JoinGameAsync(pinger, ponger);

        var ping = new PingNode();
        var pong = new PongNode();
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(
            pinger.Client.RunFlow(ping, "game").RunAsync(stop.Token),
            ponger.Client.RunFlow(pong, "game").RunAsync(stop.Token));

        await EventuallyAsync(() => ping.Pongs >= 3, "pongs through the first relay");
        await first.DisposeAsync();
        var before = ping.Pongs;
        await EventuallyAsync(() => ping.Pongs >= before + 3, "pongs through the second relay", seconds: 30);
        Assert.Equal(second.LocalEndPoint, pinger.Client.CurrentRelay!.EndPoint);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_flow_sender_can_answer_one_agent_directly_instead_of_the_room()
    {
        var (relay, _) = await StartRelayAsync();
        await using var __ = relay;
        await using var pinger = await Agent("pinger", relay).StartAsync();
        await using var ponger = await Agent("ponger", relay).StartAsync();
        using var roomKey = await JoinGameAsync(pinger, ponger);

        var ping = new PingNode();
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(
            pinger.Client.RunFlow(ping, "game").RunAsync(stop.Token),
            ponger.Client.RunFlow(new DirectPongNode(pinger.Client.Certificate), "game").RunAsync(stop.Token));
        await EventuallyAsync(() => ping.Pongs >= 2, "direct pongs");
        await stop.CancelAsync();
        await running;
        Assert.Null(ping.LastPongRoom); // it came as a direct message, not through the room
    }

    [Fact]
    public async Task Messages_carry_the_senders_latest_record_hash_to_the_receivers_records()
    {
        var (relay, _) = await StartRelayAsync();
        await using var __ = relay;
        await using var pinger = await Agent("pinger", relay).StartAsync();
        await using var ponger = await Agent("ponger", relay).StartAsync();
        using var roomKey = await JoinGameAsync(pinger, ponger);

        var pingerRecords = new Recorder(Enumerable.Repeat((byte)7, 32).ToArray());
        var pongerRecords = new Recorder([]);
        var ping = new PingNode();
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(
            pinger.Client.RunFlow(ping, "game", new FlowRunnerOptions { Recorder = pingerRecords }).RunAsync(stop.Token),
            ponger.Client.RunFlow(new PongNode(), "game", new FlowRunnerOptions { Recorder = pongerRecords }).RunAsync(stop.Token));
        await EventuallyAsync(() => ping.Pongs >= 2, "pongs");
        await stop.CancelAsync();
        await running;

        var onPing = pongerRecords.Transitions.First();
        Assert.Equal(pingerRecords.LatestHash.ToArray(), onPing.Message!.SenderRecordHash.ToArray());
        Assert.Equal(pinger.Identity.Id.ToString(), onPing.Message.Sender);
        Assert.StartsWith("pong ping ", ping.LastPong); // the payloads themselves arrive unwrapped
    }

    [Fact]
    public async Task Two_flows_play_ping_pong_through_the_summoner_listener()
    {
        var (relay, _) = await StartRelayAsync(Options(o => o with { Summoner = new SummonerListenerOptions { Enabled = true, Port = 0 } }));
        await using var __ = relay;
        await using var pinger = new SummonerRelayClient(new SummonerRelayClientOptions { Relays = [relay.SummonerEndPoint!] });
        await using var ponger = new SummonerRelayClient(new SummonerRelayClientOptions { Relays = [relay.SummonerEndPoint!] });
        var ping = new PingNode();
        var pong = new PongNode();
        var pingRunner = pinger.RunFlow(ping);
        var pongRunner = ponger.RunFlow(pong);
        await pinger.StartAsync();
        await ponger.StartAsync();
        await pinger.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await ponger.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));

        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(pingRunner.RunAsync(stop.Token), pongRunner.RunAsync(stop.Token));
        await EventuallyAsync(() => ping.Pongs >= 3, "pongs through the Summoner listener");
        Assert.StartsWith("pong ping ", ping.LastPong);
        await stop.CancelAsync();
        await running;
    }

    /// <summary>Answers each ping with a pong sealed to one agent, not published to the room.</summary>
    private sealed class DirectPongNode(EncryptionKeyCertificate replyTo) : IFlowNode<DirectPongNode>
    {
        public static FlowDefinition<DirectPongNode> Flow { get; } = new()
        {
            Receivers = PongNode.Flow.Receivers.Select(r => new FlowReceiver<DirectPongNode>(r.Name, r.Route, r.Priority, (_, payload, ct) => r.Invoke(new PongNode(), payload, ct))).ToList(),
            Senders =
            [
                new("Pong", FlowRoute.Arrow([], [], [StateNode.State("pinged")]), [Ok], FlowActions.None, false, true, null, null,
                    (node, data, _) => ValueTask.FromResult<object?>(new DirectMessage(node.ReplyTo, Encoding.UTF8.GetBytes($"pong {data}")))),
            ],
        };

        private EncryptionKeyCertificate ReplyTo { get; } = replyTo;
    }

    private sealed class Recorder(byte[] latest) : IFlowRecorder
    {
        public System.Collections.Concurrent.ConcurrentQueue<FlowTransition> Transitions { get; } = new();

        public ReadOnlyMemory<byte> LatestHash => latest;

        public ValueTask RecordAsync(FlowTransition transition, CancellationToken cancellationToken)
        {
            Transitions.Enqueue(transition);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Both agents join the room "game" with a key the pinger made.</summary>
    private static async Task<EncryptionKeyPair> JoinGameAsync(TestAgent pinger, TestAgent ponger)
    {
        var roomKey = EncryptionKeyPair.GenerateForTopic(pinger.Identity, "game");
        await pinger.Client.JoinAsync("game", roomKey).WaitAsync(TimeSpan.FromSeconds(20));
        await ponger.Client.JoinAsync("game", roomKey).WaitAsync(TimeSpan.FromSeconds(20));
        return roomKey;
    }

    private static string? Text(object? payload) => payload switch
    {
        RelayMessage message => Encoding.UTF8.GetString(message.Payload.Span),
        SummonerMessage { Content: JsonValue value } when value.TryGetValue<string>(out var text) => text,
        _ => null,
    };

    /// <summary>Sends "ping n" every 50 ms; counts the pongs.</summary>
    private sealed class PingNode : IFlowNode<PingNode>
    {
        private int _sent;
        private int _pongs;

        public int Pongs => Volatile.Read(ref _pongs);

        public string? LastPong { get; private set; }

        public string? LastPongRoom { get; private set; } = "none yet";

        public static FlowDefinition<PingNode> Flow { get; } = new()
        {
            Receivers =
            [
                new("OnPong", FlowRoute.Arrow([], [], [StateNode.State("ponged")]), [], (node, payload, _) =>
                {
                    if (Text(payload) is not { } text || !text.StartsWith("pong", StringComparison.Ordinal))
                    {
                        return ValueTask.FromResult<FlowEvent?>(null);
                    }

                    node.LastPong = text;
                    node.LastPongRoom = (payload as RelayMessage)?.Room;
                    Interlocked.Increment(ref node._pongs);
                    return ValueTask.FromResult<FlowEvent?>(FlowEvent.Move(Ok));
                }),
            ],
            Senders =
            [
                new("Ping", FlowRoute.Objects(), [], FlowActions.None, false, false, TimeSpan.FromMilliseconds(50), null,
                    (node, _, _) => ValueTask.FromResult<object?>($"ping {Interlocked.Increment(ref node._sent)}")),
            ],
        };
    }

    /// <summary>Answers each ping with "pong &lt;ping&gt;" through a reactive sender that uses the event's data.</summary>
    private sealed class PongNode : IFlowNode<PongNode>
    {
        public static FlowDefinition<PongNode> Flow { get; } = new()
        {
            Receivers =
            [
                new("OnPing", FlowRoute.Arrow([], [], [StateNode.State("pinged")]), [], (_, payload, _) =>
                    ValueTask.FromResult(Text(payload) is { } text && text.StartsWith("ping", StringComparison.Ordinal) ? FlowEvent.Move(Ok, text) : null)),
            ],
            Senders =
            [
                new("Pong", FlowRoute.Arrow([], [], [StateNode.State("pinged")]), [Ok], FlowActions.None, false, true, null, null,
                    (_, data, _) => ValueTask.FromResult<object?>($"pong {data}")),
            ],
        };
    }
}
