using System.Diagnostics;
using System.Net;
using Synapse.Client;
using Synapse.Hosting;
using Synapse.Rpc;

namespace Synapse.Tests.Rpc;

/// <summary>Runs alone: a listener another test attaches to the same source or meter names would allocate here.</summary>
[CollectionDefinition(nameof(NoTelemetryListeners), DisableParallelization = true)]
public sealed class NoTelemetryListeners;

/// <summary>Tracing and metrics cost nothing on a call's path when nobody listens.</summary>
[Collection(nameof(NoTelemetryListeners))]
public sealed class InstrumentationAllocationTests
{
    [Fact]
    public void Without_listeners_spans_and_measurements_of_a_call_allocate_nothing()
    {
        var client = ClientMetrics.For(null);
        using var host = new HostMetrics("agent", null);
        var peer = new IPEndPoint(IPAddress.Loopback, 9999);
        void OneCall()
        {
            var started = Stopwatch.GetTimestamp();
            var outgoing = RpcTracing.StartClient("sum", peer);
            var incoming = RpcTracing.StartServer("agent", "sum", default, default, peer);
            RpcTracing.Stop(incoming, null);
            host.CallCompleted("sum", started, null);
            client.CallCompleted("sum", started, RpcErrorCodes.Timeout);
            RpcTracing.Stop(outgoing, RpcErrorCodes.Timeout, "timed out");
        }

        OneCall();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            OneCall();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
