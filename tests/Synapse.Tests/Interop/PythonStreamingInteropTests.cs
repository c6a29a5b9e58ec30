using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Tests.Rpc;

namespace Synapse.Tests.Interop;

/// <summary>A real synapse-p2p (Python) client and an endpoint that streams: it gets a clear error, the node carries on.</summary>
public sealed class PythonStreamingInteropTests
{
    [Fact]
    public async Task A_python_client_calling_a_streaming_endpoint_gets_an_error_naming_it_and_why()
    {
        await using var host = new Synapse.Hosting.AgentHost(new StreamingAgent());
        await host.StartAsync();

        var streamed = await PythonPeer.CallAsync(host.Port, "ticks", "[3]");
        var after = await PythonPeer.CallAsync(host.Port, "_synapse.ping", "[]");

        Assert.Equal("bad_request", streamed.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(
            "ticks streams its results: call it over a multiplexed Synapse connection (a connection that carries one call, as synapse-p2p makes them, cannot carry a stream)",
            streamed.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("pong", after.GetProperty("result").GetString());
    }

    /// <summary>A hand-written agent whose one endpoint streams, as generated code does it.</summary>
    private sealed class StreamingAgent : IAgentNode
    {
        public AgentDispatcher CreateDispatcher() => new Dispatcher();

        private sealed class Dispatcher : AgentDispatcher
        {
            public override AgentDescriptor Descriptor { get; } = new(
                "streamer", "", "", [new("ticks", true, "", """{"type":"object"}""", """{"type":"integer"}""", Streaming: true)], [], [], -1);

            public override int FindEndpoint(ReadOnlySpan<byte> utf8Name) => utf8Name.SequenceEqual("ticks"u8) ? 0 : -1;

            public override ValueTask InvokeAsync(int target, RpcInvocation call) =>
                call.StreamAsync(Ticks(), static (ref MsgPackWriter writer, int item) => writer.WriteInt32(item));

            private static async IAsyncEnumerable<int> Ticks()
            {
                for (var i = 0; i < 3; i++)
                {
                    await Task.Yield();
                    yield return i;
                }
            }
        }
    }
}
