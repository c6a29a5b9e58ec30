using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Synapse.Client;
using Synapse.Hosting;

namespace Synapse.Generated.Tests.Tracing;

/// <summary>Spans of calls as the OpenTelemetry SDK exports them, across agents (tests only: the runtime uses System.Diagnostics).</summary>
[Collection(TracingCollection.Name)]
public sealed class TracingTests
{
    [Fact]
    public async Task A_call_through_an_agent_to_another_is_one_trace_parented_hop_by_hop()
    {
        var spans = new List<Activity>();
        await using var calculator = new AgentHost(new Calculator());
        await calculator.StartAsync();
        await using var downstream = new SynapseClient("127.0.0.1", calculator.Port);
        await using var forwarder = new AgentHost(new Forwarder(new CalculatorClient(downstream)));
        await forwarder.StartAsync();
        await using var caller = new SynapseClient("127.0.0.1", forwarder.Port);
        await caller.PingAsync(); // open both links before tracing starts
        await new ForwarderClient(caller).ForwardSumAsync(0, 0);

        using (var provider = Sdk.CreateTracerProviderBuilder().AddSource("Synapse.Rpc").AddInMemoryExporter(spans).Build())
        {
            Assert.Equal(42, await new ForwarderClient(caller).ForwardSumAsync(40, 2));
            provider.ForceFlush();
        }

        // The provider hears every Synapse.Rpc span of the process, and other tests run meanwhile: keep this trace.
        var outerClient = Assert.Single(spans, s => s is { Kind: ActivityKind.Client, DisplayName: "forward_sum" });
        var trace = spans.Where(s => s.TraceId == outerClient.TraceId).ToList();
        Assert.Equal(4, trace.Count);
        var outerServer = Assert.Single(trace, s => s is { Kind: ActivityKind.Server, DisplayName: "forward_sum" });
        var innerClient = Assert.Single(trace, s => s is { Kind: ActivityKind.Client, DisplayName: "sum" });
        var innerServer = Assert.Single(trace, s => s is { Kind: ActivityKind.Server, DisplayName: "sum" });
        Assert.Equal(default, outerClient.ParentSpanId);
        Assert.Equal(outerClient.SpanId, outerServer.ParentSpanId);
        Assert.Equal(outerServer.SpanId, innerClient.ParentSpanId);
        Assert.Equal(innerClient.SpanId, innerServer.ParentSpanId);
        Assert.Equal(("synapse", "forwarder", "forward_sum"), (outerServer.GetTagItem("rpc.system"), outerServer.GetTagItem("rpc.service"), outerServer.GetTagItem("rpc.method")));
        Assert.Equal(("127.0.0.1", calculator.Port), (innerClient.GetTagItem("server.address"), innerClient.GetTagItem("server.port")));
        Assert.All(trace, s => Assert.Equal(ActivityStatusCode.Unset, s.Status));
    }

    [Fact]
    public async Task A_failed_call_marks_both_spans_with_its_error_code()
    {
        var spans = new List<Activity>();
        await using var host = new AgentHost(new Calculator());
        await host.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port);
        await client.PingAsync();

        using (var provider = Sdk.CreateTracerProviderBuilder().AddSource("Synapse.Rpc").AddInMemoryExporter(spans).Build())
        {
            var error = await Assert.ThrowsAsync<Synapse.Rpc.RpcException>(() => client.CallAsync("no_such_endpoint"));
            provider.ForceFlush();

            var clientSpan = Assert.Single(spans, s => s is { Kind: ActivityKind.Client, DisplayName: "no_such_endpoint" });
            var trace = spans.Where(s => s.TraceId == clientSpan.TraceId).ToList();
            Assert.Equal(2, trace.Count);
            Assert.All(trace, s =>
            {
                Assert.Equal(ActivityStatusCode.Error, s.Status);
                Assert.Equal(error.Code, s.GetTagItem("error.type"));
            });
        }
    }
}

/// <summary>An agent whose endpoint calls another agent: the middle hop of a trace.</summary>
[AgentNode(Name = "forwarder")]
public sealed partial class Forwarder(ICalculatorClient calculator)
{
    /// <summary>Adds through the calculator.</summary>
    [Endpoint("forward_sum")]
    public Task<int> ForwardSum(int a, int b) => calculator.SumAsync(a, b);
}
