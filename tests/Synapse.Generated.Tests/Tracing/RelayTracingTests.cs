using System.Diagnostics;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Synapse.Client;
using Synapse.Envelopes;
using Synapse.Flows;
using Synapse.Hosting;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Relay.Configuration;
using Synapse.Relay.Server;

namespace Synapse.Generated.Tests.Tracing;

/// <summary>One trace from a caller through an agent and a relay to the flow of another agent, as the OpenTelemetry SDK exports it.</summary>
[Collection(TracingCollection.Name)]
public sealed class RelayTracingTests
{
    [Fact]
    public async Task A_call_whose_agent_relays_a_message_is_one_trace_down_to_the_receiving_flow()
    {
        await using var relay = new RelayServer(new RelayOptions { Host = "127.0.0.1", Port = 0 });
        await relay.StartAsync();
        RelayEndpoint[] relays = [new(relay.LocalEndPoint, relay.Id)];
        await using var sender = await RelayAgent.StartAsync(relays);
        await using var receiver = await RelayAgent.StartAsync(relays);
        var notes = new NoteTaker();
        receiver.Client.RunFlow(notes, "notes");
        await using var messenger = new AgentHost(new Messenger(sender.Client, receiver.Client.Certificate));
        await messenger.StartAsync();
        await using var caller = new SynapseClient("127.0.0.1", messenger.Port);
        await caller.PingAsync();

        var spans = new List<Activity>();
        var delivered = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (Sdk.CreateTracerProviderBuilder()
            .AddSource("Synapse.Rpc", "Synapse.Relay", "Synapse.Flows")
            .AddInMemoryExporter(spans)
            .AddProcessor(new SignalOnEnd(span => span.DisplayName == "process direct", delivered))
            .Build())
        {
            await new MessengerClient(caller).RelayNoteAsync("hello");
            var process = await delivered.Task.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(["hello"], notes.Notes);

            // The provider hears every span of these sources in the process: keep this trace.
            var trace = spans.Where(s => s.TraceId == process.TraceId).ToList();
            var client = Assert.Single(trace, s => s is { Kind: ActivityKind.Client, DisplayName: "relay_note" });
            var server = Assert.Single(trace, s => s is { Kind: ActivityKind.Server, DisplayName: "relay_note" });
            var send = Assert.Single(trace, s => s is { Kind: ActivityKind.Producer, DisplayName: "send direct" });
            var flow = Assert.Single(trace, s => s is { Kind: ActivityKind.Internal, DisplayName: "flow --[]-->noted" });
            Assert.Equal(5, trace.Count);
            Assert.Equal(default, client.ParentSpanId);
            Assert.Equal(client.SpanId, server.ParentSpanId);
            Assert.Equal(server.SpanId, send.ParentSpanId);
            Assert.Equal(send.SpanId, process.ParentSpanId);
            Assert.True(process.HasRemoteParent);
            Assert.Equal(process.SpanId, flow.ParentSpanId);
            Assert.Equal(send.GetTagItem("messaging.message.id"), process.GetTagItem("messaging.message.id"));
            Assert.Equal(sender.Client.Id.ToString(), process.GetTagItem("synapse.relay.sender"));
            Assert.Equal(("Note", "Move(ok)", "noted"), (flow.GetTagItem("synapse.flow.receiver"), flow.GetTagItem("synapse.flow.event"), flow.GetTagItem("synapse.flow.reached")));
        }
    }

    /// <summary>Signals when a span the predicate picks ends (after the exporters added before it have seen it).</summary>
    private sealed class SignalOnEnd(Func<Activity, bool> pick, TaskCompletionSource<Activity> ended) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (pick(data))
            {
                ended.TrySetResult(data);
            }
        }
    }
}

/// <summary>An agent with a relay client, on an identity of its own.</summary>
internal sealed class RelayAgent : IAsyncDisposable
{
    private readonly AgentIdentity _identity = AgentIdentity.Generate();
    private readonly EncryptionKeyPair _key;

    private RelayAgent(RelayEndpoint[] relays)
    {
        _key = EncryptionKeyPair.Derive(_identity);
        Client = new RelayClient(_identity, _key, new RelayClientOptions { Relays = relays });
    }

    public RelayClient Client { get; }

    public static async Task<RelayAgent> StartAsync(RelayEndpoint[] relays)
    {
        var agent = new RelayAgent(relays);
        await agent.Client.StartAsync();
        await agent.Client.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return agent;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        _key.Dispose();
        _identity.Dispose();
    }
}

/// <summary>An agent whose endpoint passes a note on through a relay, sealed to another agent.</summary>
[AgentNode(Name = "messenger")]
public sealed partial class Messenger(RelayClient relay, EncryptionKeyCertificate recipient)
{
    /// <summary>Sends the note; returns once the outbox holds it.</summary>
    [Endpoint("relay_note")]
    public void RelayNote(string text) => relay.Send(recipient, Encoding.UTF8.GetBytes(text));
}

/// <summary>A flow that keeps the notes relayed to it.</summary>
[AgentNode]
public sealed partial class NoteTaker
{
    public List<string> Notes { get; } = [];

    [Receive("--> noted")]
    public FlowEvent? Note(object? message)
    {
        Notes.Add(Encoding.UTF8.GetString(((RelayMessage)message!).Payload.Span));
        return FlowEvent.Move(Trigger.ok);
    }
}
