using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Tasks;

namespace Synapse.Tests.Interop;

/// <summary>A real synapse-p2p (Python) client and long-running tasks: it starts one and polls it, one call per connection.</summary>
public sealed class PythonTaskInteropTests
{
    [Fact]
    public async Task A_python_client_starts_a_task_and_polls_it_to_its_result_but_cannot_subscribe()
    {
        await using var host = new Synapse.Hosting.AgentHost(new CountingAgent(), new Synapse.Hosting.AgentHostOptions { Tasks = new AgentTaskOptions() });
        await host.StartAsync();

        var started = await PythonPeer.CallAsync(host.Port, "_synapse.task.start", """["count", [3]]""");
        var id = started.GetProperty("result").GetProperty("id").GetString()!;
        var polled = started;
        for (var attempt = 0; attempt < 100 && polled.GetProperty("result").GetProperty("state").GetString() != "completed"; attempt++)
        {
            polled = await PythonPeer.CallAsync(host.Port, "_synapse.task.get", $"""["{id}"]""");
        }

        var subscribed = await PythonPeer.CallAsync(host.Port, "_synapse.task.subscribe", $"""["{id}"]""");

        Assert.Equal("count", started.GetProperty("result").GetProperty("endpoint").GetString());
        Assert.Equal("completed", polled.GetProperty("result").GetProperty("state").GetString());
        Assert.Equal(3, polled.GetProperty("result").GetProperty("result").GetInt32());
        Assert.Equal("bad_request", subscribed.GetProperty("error").GetProperty("code").GetString());
        Assert.StartsWith("_synapse.task.subscribe streams its results", subscribed.GetProperty("error").GetProperty("message").GetString());
    }

    /// <summary>A hand-written agent whose one endpoint counts to its argument, as generated code does it.</summary>
    private sealed class CountingAgent : IAgentNode
    {
        public AgentDispatcher CreateDispatcher() => new Dispatcher();

        private sealed class Dispatcher : AgentDispatcher
        {
            public override AgentDescriptor Descriptor { get; } = new(
                "counter", "", "", [new("count", true, "", """{"type":"object"}""", """{"type":"integer"}""")], [], [], -1);

            public override int FindEndpoint(ReadOnlySpan<byte> utf8Name) => utf8Name.SequenceEqual("count"u8) ? 0 : -1;

            public override async ValueTask InvokeAsync(int target, RpcInvocation call)
            {
                var reader = new MsgPackReader(call.Arguments);
                reader.ReadArrayHeader();
                var to = reader.ReadInt32();
                await Task.Delay(TimeSpan.FromMilliseconds(50), call.CancellationToken);
                var writer = call.BeginResult();
                writer.WriteInt32(to);
                call.EndResult(ref writer);
            }
        }
    }
}
