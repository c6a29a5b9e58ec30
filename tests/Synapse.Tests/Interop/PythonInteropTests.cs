using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Tests.Rpc;

namespace Synapse.Tests.Interop;

/// <summary>
/// Both directions against a synapse-p2p peer running on the real Python msgpack package: their client calls our
/// host, our client calls their node.
/// </summary>
public sealed class PythonInteropTests
{
    [Fact]
    public async Task Python_client_calls_a_synapse_host()
    {
        await using var host = await TestHost.StartAsync();

        var sum = await PythonPeer.CallAsync(host.Port, "sum", "[1, 2]");
        var byName = await PythonPeer.CallAsync(host.Port, "sum", "[]", """{"a": 2, "b": 40}""");
        var echoed = await PythonPeer.CallAsync(host.Port, "echo", """[{"text": "Кириллица ❤", "bytes": {"$bytes": "00ff"}, "float": 1.5, "big": 18446744073709551615, "neg": -200, "list": [null, true]}]""");
        var unknown = await PythonPeer.CallAsync(host.Port, "nope", "[]");
        var failure = await PythonPeer.CallAsync(host.Port, "fail", "[]");

        Assert.Equal(3, sum.GetProperty("result").GetInt32());
        Assert.Equal(42, byName.GetProperty("result").GetInt32());
        Assert.Equal(
            MsgPackValue.ParseJson("""{"text":"Кириллица ❤","bytes":{"$bytes":"00ff"},"float":1.5,"big":18446744073709551615,"neg":-200,"list":[null,true]}"""),
            MsgPackValue.FromJson(echoed.GetProperty("result")));
        Assert.Equal("bad_request", unknown.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("Unregistered endpoint called: nope", unknown.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("kaboom", failure.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Synapse_client_calls_a_python_node_one_request_per_connection()
    {
        await using var node = await PythonPeer.StartNodeAsync();
        await using var client = new SynapseClient("127.0.0.1", node.Port);

        var pong = await client.PingAsync();
        var sums = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => client.CallAsync("sum", [i, 10])));
        var bytes = await client.CallAsync("echo", [MsgPackValue.FromBinary([1, 2, 3])]);
        var timestamp = await client.CallAsync("echo", [MsgPackValue.FromTimestamp(new DateTimeOffset(2018, 1, 2, 3, 4, 5, TimeSpan.Zero))]);
        var failure = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("boom"));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("nope"));

        Assert.Equal("pong", pong);
        Assert.Equal(ConnectionMode.PerCall, client.NegotiatedMode);
        Assert.Equal([10L, 11, 12, 13, 14], sums.Select(s => s.AsInt64()));
        Assert.Equal([1, 2, 3], bytes.AsBinary().ToArray());
        Assert.Equal(new DateTimeOffset(2018, 1, 2, 3, 4, 5, TimeSpan.Zero), timestamp.AsTimestamp());
        Assert.Equal((RpcErrorCodes.InternalError, "kaboom"), (failure.Code, failure.Message));
        Assert.Equal((RpcErrorCodes.BadRequest, "Unregistered endpoint called: nope"), (unknown.Code, unknown.Message));
    }

    [Fact]
    public async Task A_traced_synapse_client_sends_a_python_node_only_the_fields_it_accepts()
    {
        var stopped = new List<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Synapse.Rpc",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (stopped)
                {
                    stopped.Add(activity);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        await using var node = await PythonPeer.StartNodeAsync();
        await using var client = new SynapseClient("127.0.0.1", node.Port);

        // synapse-p2p refuses a request with a field it does not know: an answer proves no trace context was sent.
        var sum = await client.CallAsync("sum", [1, 2]);

        Assert.Equal(3, sum.AsInt64());
        Assert.Equal(ConnectionMode.PerCall, client.NegotiatedMode);
        lock (stopped)
        {
            Assert.Contains(stopped, a => a is { DisplayName: "sum", Kind: System.Diagnostics.ActivityKind.Client });
        }
    }
}
