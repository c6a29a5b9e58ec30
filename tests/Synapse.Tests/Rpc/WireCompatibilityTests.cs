using Synapse.Client;
using Synapse.MessagePack;

namespace Synapse.Tests.Rpc;

/// <summary>
/// The host against the byte strings and behaviours recorded from synapse-p2p (see docs/protocol/synapse-p2p.md).
/// </summary>
public sealed class WireCompatibilityTests
{
    [Fact]
    public async Task Sum_request_from_python_gets_the_exact_python_response_then_close()
    {
        await using var host = await TestHost.StartAsync();
        var request = RawSocket.Hex("""
            00 00 00 32 85 a8 65 6e 64 70 6f 69 6e 74 a3 73 75 6d a2 69 64 a3 61 62 63 a4 61 72 67 73 92 01 02
            a6 6b 77 61 72 67 73 80 a4 74 79 70 65 a7 72 65 71 75 65 73 74
            """);
        var expected = RawSocket.Hex("""
            00 00 00 29 85 a2 69 64 a3 61 62 63 a2 6f 6b c3 a6 72 65 73 75 6c 74 03 a5 65 72 72 6f 72 c0 a4 74 79
            70 65 a8 72 65 73 70 6f 6e 73 65
            """);

        var received = await RawSocket.ExchangeAsync(host.Port, request);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(received));
    }

    [Fact]
    public async Task Unknown_endpoint_gets_the_exact_python_error_bytes()
    {
        await using var host = await TestHost.StartAsync();
        var request = RawSocket.Frame("""{"endpoint":"nope","id":"u1","args":[],"kwargs":{},"type":"request"}""");
        var expected = RawSocket.Hex("""
            00 00 00 65 85 a2 69 64 a2 75 31 a2 6f 6b c2 a6 72 65 73 75 6c 74 c0 a5 65 72 72 6f 72 82 a4 63 6f 64
            65 ab 62 61 64 5f 72 65 71 75 65 73 74 a7 6d 65 73 73 61 67 65 d9 22 55 6e 72 65 67 69 73 74 65 72 65
            64 20 65 6e 64 70 6f 69 6e 74 20 63 61 6c 6c 65 64 3a 20 6e 6f 70 65 a4 74 79 70 65 a8 72 65 73 70 6f
            6e 73 65
            """);

        var received = await RawSocket.ExchangeAsync(host.Port, request);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(received));
    }

    public static TheoryData<string, string, string, string> ErrorTable => new()
    {
        { """{"endpoint":"fail","id":"e1","args":[],"kwargs":{},"type":"request"}""", "e1", "internal_error", "kaboom" },
        { """{"endpoint":"sum","id":"a1","args":[1],"kwargs":{},"type":"request"}""", "a1", "internal_error", "sum() missing 1 required positional argument: 'b'" },
        { """{"endpoint":"sum","id":"a2","args":[1,2,3],"kwargs":{},"type":"request"}""", "a2", "internal_error", "sum() takes 2 positional arguments but 3 were given" },
        { """{"endpoint":"sum","id":"a3","args":[1],"kwargs":{"c":2},"type":"request"}""", "a3", "internal_error", "sum() got an unexpected keyword argument 'c'" },
        { """{"endpoint":"sum","id":"x","args":[],"kwargs":{},"type":"request","x":1}""", "", "bad_request", "unknown request fields: ['x']" },
        // Trace context is read on multiplexed links only; a plaintext single request keeps synapse-p2p's fields.
        { """{"endpoint":"sum","id":"t","args":[1,2],"kwargs":{},"type":"request","traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}""", "", "bad_request", "unknown request fields: ['traceparent']" },
        { """{"id":"x","args":[],"kwargs":{},"type":"request"}""", "", "bad_request", "'endpoint'" },
        { """{"id":"x","ok":true,"result":1,"error":null,"type":"response"}""", "", "bad_request", "expected request message" },
        { """{"endpoint":"sum","id":"x","type":"bogus"}""", "", "bad_request", "unknown RPC message type: bogus" },
        { """[1,2]""", "", "bad_request", "payload must be a map" },
        { """{"endpoint":"sum","id":"x","args":null}""", "", "bad_request", "'NoneType' object is not iterable" },
        { """{"endpoint":"_node.ask","id":"n","args":["task"]}""", "n", "internal_error", "node has no ask handler" },
    };

    [Theory]
    [MemberData(nameof(ErrorTable))]
    public async Task Bad_requests_get_synapse_p2p_codes_and_messages(string requestJson, string id, string code, string message)
    {
        await using var host = await TestHost.StartAsync();

        var response = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame(requestJson)));

        AssertError(response, id, code, message);
    }

    [Fact]
    public async Task Keyword_arguments_bind_by_name()
    {
        await using var host = await TestHost.StartAsync();
        var request = RawSocket.Hex("""
            85 a8 65 6e 64 70 6f 69 6e 74 a3 73 75 6d a2 69 64 a2 72 31 a4 61 72 67 73 92 02 03 a6 6b 77 61 72 67
            73 80 a4 74 79 70 65 a7 72 65 71 75 65 73 74
            """);
        var kwargsOnly = RawSocket.Frame("""{"type":"request","id":"k","endpoint":"sum","kwargs":{"b":5,"a":2}}""");

        var positional = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame(request)));
        var byName = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, kwargsOnly));

        Assert.Equal(5, positional["result"]!.AsInt64());
        Assert.Equal(7, byName["result"]!.AsInt64());
        Assert.Equal("k", byName["id"]!.AsString());
    }

    [Fact]
    public async Task Ping_with_only_an_endpoint_answers_pong_with_empty_id()
    {
        await using var host = await TestHost.StartAsync();

        var response = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame("""{"endpoint":"_synapse.ping"}""")));

        Assert.Equal("", response["id"]!.AsString());
        Assert.True(response["ok"]!.AsBoolean());
        Assert.Equal("pong", response["result"]!.AsString());
    }

    [Theory]
    [InlineData("42", "42")]
    [InlineData("null", "None")]
    [InlineData("true", "True")]
    [InlineData("1.5", "1.5")]
    public async Task Non_string_ids_are_echoed_as_python_str(string idJson, string expected)
    {
        await using var host = await TestHost.StartAsync();

        var response = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame($$"""{"endpoint":"_synapse.ping","id":{{idJson}}}""")));

        Assert.Equal(expected, response["id"]!.AsString());
    }

    [Fact]
    public async Task Garbage_and_non_string_keys_are_bad_requests()
    {
        await using var host = await TestHost.StartAsync();

        var garbage = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame(RawSocket.Hex("c1 c1 c1"))));
        var intKey = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame(RawSocket.Hex("81 01 02"))));
        var empty = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Hex("00 00 00 00")));

        Assert.Equal("bad_request", garbage["error"]!["code"]!.AsString());
        Assert.Contains("offset 0", garbage["error"]!["message"]!.AsString());
        AssertError(intKey, "", "bad_request", "int is not allowed for map key when strict_map_key=True");
        AssertError(empty, "", "bad_request", "Unpack failed: incomplete input");
    }

    [Fact]
    public async Task Oversize_header_is_refused_before_reading_the_body()
    {
        await using var host = await TestHost.StartAsync();

        var response = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Hex("00 40 00 01")));

        AssertError(response, "", "bad_request", "frame too large: 4194305 > 4194304");
    }

    [Fact]
    public async Task Frame_of_exactly_the_maximum_size_is_read_and_one_byte_more_is_refused()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxFrameSize = 1000);
        byte[] Padded(int size) => Enumerable.Range(0, size)
            .Select(n => MsgPackValue.ParseJson($$"""{"endpoint":"fail","id":"m","args":["{{new string('x', n)}}"]}""").ToBytes())
            .First(payload => payload.Length == size);

        var atLimit = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame(Padded(1000))));
        var overLimit = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame(Padded(1001))));

        AssertError(atLimit, "m", "internal_error", "kaboom");
        AssertError(overLimit, "", "bad_request", "frame too large: 1001 > 1000");
    }

    [Fact]
    public async Task Truncated_frame_then_eof_is_an_incomplete_frame()
    {
        await using var host = await TestHost.StartAsync();

        var response = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Hex("00 00 00 64 85"), shutdownSend: true));

        AssertError(response, "", "bad_request", "incomplete frame");
    }

    [Fact]
    public async Task Second_pipelined_frame_is_ignored_like_synapse_p2p()
    {
        await using var host = await TestHost.StartAsync();
        var ping = RawSocket.Frame("""{"endpoint":"_synapse.ping","id":"1"}""");

        var received = await RawSocket.ExchangeAsync(host.Port, [.. ping, .. ping]);

        Assert.Single(RawSocket.Frames(received));
    }

    [Fact]
    public async Task Half_sent_frame_is_closed_after_the_frame_read_timeout()
    {
        await using var host = await TestHost.StartAsync(o => o.FrameReadTimeout = TimeSpan.FromMilliseconds(200));

        var response = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Hex("00 00 00 0a 85")));

        Assert.StartsWith("incomplete frame: not completed within 0.2 s", response["error"]!["message"]!.AsString());
    }

    [Fact]
    public async Task Trickling_bytes_do_not_extend_the_frame_read_timeout()
    {
        await using var host = await TestHost.StartAsync(o => o.FrameReadTimeout = TimeSpan.FromMilliseconds(300));
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, host.Port);
        await socket.SendAsync(RawSocket.Hex("00 00 00 64"));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[4096];
        var firstBytes = socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None);
        for (var i = 0; i < 60 && !firstBytes.IsCompleted; i++)
        {
            await Task.Delay(50); // one byte every 50 ms: each read is well inside the 300 ms timeout
            await socket.SendAsync(new byte[] { 0x85 });
        }

        var count = await firstBytes.WaitAsync(TimeSpan.FromSeconds(10));
        var answeredAfter = started.Elapsed;

        var response = RawSocket.Single(buffer[..count]);
        Assert.StartsWith("incomplete frame: not completed within 0.3 s", response["error"]!["message"]!.AsString());
        Assert.True(answeredAfter < TimeSpan.FromSeconds(1.5), $"answered after {answeredAfter}");
    }

    [Theory]
    [InlineData("a3 61 ff 62", "Unpack failed: ")]
    [InlineData("92 01 02", "unsupported id type: list")]
    public async Task Hostile_ids_are_bad_requests_and_the_connection_closes(string idHex, string message)
    {
        await using var host = await TestHost.StartAsync();
        byte[] payload = [.. RawSocket.Hex("82 a8 65 6e 64 70 6f 69 6e 74 a4 73 6c 6f 77 a2 69 64"), .. RawSocket.Hex(idHex)];

        var response = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame(payload)));

        Assert.Equal("bad_request", response["error"]!["code"]!.AsString());
        Assert.StartsWith(message, response["error"]!["message"]!.AsString());
        await WaitUntilAsync(() => host.Host.ConnectionCount == 0);
    }

    [Fact]
    public async Task Silent_connection_is_closed_at_the_handshake_deadline_not_the_idle_one()
    {
        await using var host = await TestHost.StartAsync(o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(200));

        var received = await RawSocket.ExchangeAsync(host.Port, []);

        Assert.Empty(received);
    }

    [Fact]
    public async Task Connections_over_the_limit_get_a_clear_error()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxConnections = 1);
        await using var first = new SynapseClient("127.0.0.1", host.Port);
        await first.PingAsync(); // a caller that proved itself holds the one slot

        var response = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame("""{"endpoint":"_synapse.ping"}""")));

        AssertError(response, "", "bad_request", "server busy: connection limit of 1 reached");
    }

    [Fact]
    public async Task Builtins_describe_the_agent()
    {
        await using var host = await TestHost.StartAsync(withTaskHandler: true);

        async Task<MsgPackValue> Call(string endpoint, string args = "[]") =>
            RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame($$"""{"endpoint":"{{endpoint}}","id":"b","args":{{args}}}""")))["result"]!;

        var methods = await Call("_synapse.methods");
        var info = await Call("_synapse.info");
        var agentInfo = await Call("_agent.info");
        var nodeInfo = await Call("_node.info");
        var capabilities = await Call("_agent.capabilities");
        var ask = await Call("_agent.ask", """["review PR 1"]""");
        var nodeAsk = await Call("_node.ask", """["again"]""");

        Assert.Equal(["sum", "fail", "echo"], methods.AsArray().Select(m => m["name"]!.AsString()));
        Assert.Equal("Adds two integers", methods.AsArray()[0]["description"]!.AsString());
        Assert.Equal("integer", methods.AsArray()[0]["output_schema"]!["type"]!.AsString());
        Assert.Equal(["id", "name", "kind", "address", "port", "swarm", "team", "role", "description", "capabilities"], info.AsMap().Select(e => e.Key.AsString()));
        Assert.Equal("node-1", info["id"]!.AsString());
        Assert.Equal(host.Port, info["port"]!.AsInt64());
        Assert.True(info["swarm"]!.IsNil);
        Assert.Equal(["name", "role", "description", "capabilities"], agentInfo.AsMap().Select(e => e.Key.AsString()));
        Assert.Equal(agentInfo, nodeInfo);
        Assert.Equal(["code-review", "sum", "fail", "echo"], capabilities.AsArray().Select(c => c["name"]!.AsString()));
        Assert.Equal(["code-review", "sum", "fail", "echo"], agentInfo["capabilities"]!.AsArray().Select(c => c.AsString()));
        Assert.Equal("review PR 1", ask.AsString());
        Assert.Equal("again", nodeAsk.AsString());
    }

    [Fact]
    public async Task A_host_bound_to_every_interface_advertises_a_reachable_address()
    {
        await using var host = await TestHost.StartAsync(o => o.BindAddress = System.Net.IPAddress.Any);

        var info = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame("""{"endpoint":"_synapse.info","id":"i"}""")))["result"]!;

        var advertised = System.Net.IPAddress.Parse(info["address"]!.AsString());
        Assert.NotEqual(System.Net.IPAddress.Any, advertised);
        Assert.True(System.Net.IPAddress.IsLoopback(advertised) || ReachableAddressTests.OwnAddresses().Contains(advertised), $"{advertised} is not an address of this machine");
        Assert.Equal(host.Port, info["port"]!.AsInt64());
    }

    [Fact]
    public async Task A_host_advertises_its_configured_or_bound_address()
    {
        await using var configured = await TestHost.StartAsync(o => (o.BindAddress, o.AdvertisedAddress) = (System.Net.IPAddress.Any, "agents.example"));
        await using var bound = await TestHost.StartAsync();

        async Task<string> Address(TestHost host) =>
            RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame("""{"endpoint":"_synapse.info","id":"i"}""")))["result"]!["address"]!.AsString();

        Assert.Equal("agents.example", await Address(configured));
        Assert.Equal("127.0.0.1", await Address(bound));
    }

    internal static void AssertError(MsgPackValue response, string id, string code, string message)
    {
        Assert.Equal(["id", "ok", "result", "error", "type"], response.AsMap().Select(e => e.Key.AsString()));
        Assert.Equal(id, response["id"]!.AsString());
        Assert.False(response["ok"]!.AsBoolean());
        Assert.True(response["result"]!.IsNil);
        Assert.Equal(code, response["error"]!["code"]!.AsString());
        Assert.Equal(message, response["error"]!["message"]!.AsString());
        Assert.Equal("response", response["type"]!.AsString());
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
