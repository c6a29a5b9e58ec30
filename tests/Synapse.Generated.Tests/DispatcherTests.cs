using System.Text;
using System.Text.Json;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Scheduling;

namespace Synapse.Generated.Tests;

public class DispatcherTests
{
    private static AgentDispatcher Dispatcher(IAgentNode node) => node.CreateDispatcher();

    private static Task<MsgPackValue> Call(IAgentNode node, string endpoint, MsgPackValue[]? args = null, Dictionary<string, MsgPackValue>? kwargs = null) =>
        LocalInvoker.InvokeAsync(Dispatcher(node), endpoint, args, kwargs);

    [Fact]
    public async Task Binds_positional_arguments()
    {
        var result = await Call(new Calculator(), "sum", new MsgPackValue[] { 2, 3 });
        Assert.Equal(5, result.AsInt64());
    }

    [Fact]
    public async Task Binds_keyword_arguments_and_mixes_them()
    {
        Assert.Equal(7, (await Call(new Calculator(), "sum", null, new() { ["b"] = 4, ["a"] = 3 })).AsInt64());
        Assert.Equal(9, (await Call(new Calculator(), "sum", new MsgPackValue[] { 4 }, new() { ["b"] = 5 })).AsInt64());
    }

    [Fact]
    public async Task Honours_default_values()
    {
        Assert.Equal(6.0, (await Call(new Calculator(), "scale", new MsgPackValue[] { 3.0 })).AsDouble());
        Assert.Equal(10.0, (await Call(new Calculator(), "scale", new MsgPackValue[] { 3.0 }, new() { ["factor"] = 3.0, ["offset"] = 1 })).AsDouble());
        Assert.Equal("nobody:Busy", (await Call(new Calculator(), "greet")).AsString());
        Assert.Equal("ann:Calm", (await Call(new Calculator(), "greet", new MsgPackValue[] { "ann", "Calm" })).AsString());
        Assert.Equal("ann:Panicking", (await Call(new Calculator(), "greet", null, new() { ["name"] = "ann", ["mood"] = 200 })).AsString());
    }

    [Fact]
    public async Task Void_endpoints_return_nil()
    {
        var calculator = new Calculator();
        var result = await Call(calculator, "noop");
        Assert.True(result.IsNil);
        Assert.Equal(1, calculator.Calls);
    }

    [Fact]
    public async Task Reports_missing_arguments_like_python()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Call(new Calculator(), "sum", new MsgPackValue[] { 1 }));
        Assert.Equal(RpcErrorCodes.InternalError, error.Code);
        Assert.Equal("sum() missing 1 required positional argument: 'b'", error.Message);

        error = await Assert.ThrowsAsync<RpcException>(() => Call(new Calculator(), "sum"));
        Assert.Equal("sum() missing 2 required positional arguments: 'a' and 'b'", error.Message);
    }

    [Fact]
    public async Task Reports_binding_errors_like_python()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Call(new Calculator(), "sum", new MsgPackValue[] { 1, 2, 3 }));
        Assert.Equal("sum() takes 2 positional arguments but 3 were given", error.Message);

        error = await Assert.ThrowsAsync<RpcException>(() => Call(new Calculator(), "sum", new MsgPackValue[] { 1, 2 }, new() { ["a"] = 1 }));
        Assert.Equal("sum() got multiple values for argument 'a'", error.Message);

        error = await Assert.ThrowsAsync<RpcException>(() => Call(new Calculator(), "sum", new MsgPackValue[] { 1, 2 }, new() { ["c"] = 1 }));
        Assert.Equal("sum() got an unexpected keyword argument 'c'", error.Message);

        error = await Assert.ThrowsAsync<RpcException>(() => Call(new Calculator(), "noop", null, new() { ["x"] = 1 }));
        Assert.Equal("noop() got an unexpected keyword argument 'x'", error.Message);
    }

    [Fact]
    public async Task Wraps_invalid_argument_values()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Call(new Calculator(), "sum", new MsgPackValue[] { "one", 2 }));
        Assert.Equal(RpcErrorCodes.InternalError, error.Code);
        Assert.StartsWith("sum() argument 'a': ", error.Message, StringComparison.Ordinal);

        error = await Assert.ThrowsAsync<RpcException>(() => Call(new Calculator(), "sum", new MsgPackValue[] { long.MaxValue, 2 }));
        Assert.StartsWith("sum() argument 'a': ", error.Message, StringComparison.Ordinal);

        error = await Assert.ThrowsAsync<RpcException>(() => Call(new Calculator(), "greet", new MsgPackValue[] { "x", "Sleepy" }));
        Assert.StartsWith("greet() argument 'mood': ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Sleepy' is not a member of Mood", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Async_endpoints_with_messages_round_trip()
    {
        var worker = new Worker();
        var job = Encode(new Job("build", 7, Mood.Busy, new[] { "ci" })
        {
            Due = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            Steps = { new Step { Name = "compile", Weight = 0.5, Next = new Step { Name = "test" } } },
            Extra = { ["k"] = "v" },
        });
        var result = await Call(worker, "submit", new[] { job });
        Assert.Equal("build!", result["Title"]!.AsString());
        Assert.Equal(7, result["prio"]!.AsInt64());
        Assert.Equal("Busy", result["Mood"]!.AsString());
        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", result["Id"]!.AsString());
        Assert.Equal("test", result["Steps"]!.AsArray()[0]["Next"]!["Name"]!.AsString());
        Assert.True(result["Blob"]!.IsNil);
        Assert.True(worker.LastToken.CanBeCanceled);
    }

    [Fact]
    public async Task Binds_call_context_and_value_tasks()
    {
        Assert.Equal("who", (await Call(new Worker(), "who")).AsString());

        var worker = new Worker();
        Assert.True((await Call(worker, "slow", new MsgPackValue[] { 5 })).IsNil);
        Assert.Equal(new[] { "slow" }, worker.Log);

        Assert.True((await Call(worker, "fire", new MsgPackValue[] { "hi" })).IsNil);
        Assert.Equal(new[] { "slow", "hi" }, worker.Log);
    }

    [Fact]
    public async Task Binds_every_supported_parameter_kind()
    {
        var args = new MsgPackValue[]
        {
            MsgPackValue.FromArray(new MsgPackValue[] { "Calm", MsgPackValue.Nil, 2 }),
            MsgPackValue.FromMap(new[] { new KeyValuePair<string, MsgPackValue>("a", Guid.NewGuid().ToString()) }),
            MsgPackValue.From(new byte[] { 1, 2 }),
            MsgPackValue.FromBinary(new byte[] { 3 }.AsMemory()),
            MsgPackValue.FromTimestamp(DateTimeOffset.FromUnixTimeSeconds(12345)),
            MsgPackValue.From(0.25f),
            ulong.MaxValue,
            -5,
            MsgPackValue.FromMap(new[] { new KeyValuePair<string, MsgPackValue>("X", 1), new KeyValuePair<string, MsgPackValue>("Y", 2) }),
            99,
            MsgPackValue.FromArray(new MsgPackValue[] { "a", "b", "c" }),
        };
        var result = await Call(new Worker(), "echo-all", args);
        int[] Get(string key) => result[key]!.AsArray().Select(v => (int)v.AsInt64()).ToArray();
        Assert.Equal(new[] { 1, -1, 2 }, Get("moods"));
        Assert.Equal(new[] { 1 }, Get("ids"));
        Assert.Equal(new[] { 1, 2 }, Get("blob"));
        Assert.Equal(new[] { 3 }, Get("memory"));
        Assert.Equal(new[] { 12345 }, Get("at"));
        Assert.Equal(new[] { 25 }, Get("ratio"));
        Assert.Equal(new[] { 1 }, Get("big"));
        Assert.Equal(new[] { -5 }, Get("small"));
        Assert.Equal(new[] { 1, 2 }, Get("point"));
        Assert.Equal(new[] { 99 }, Get("dynamic"));
        Assert.Equal(new[] { 3 }, Get("names"));

        args[1] = MsgPackValue.Nil; // nullable dictionary
        result = await Call(new Worker(), "echo-all", args);
        Assert.Equal(new[] { -1 }, Get("ids"));
    }

    [Fact]
    public async Task Private_endpoints_are_callable_but_not_published()
    {
        var worker = new Worker();
        Assert.Equal(42, (await Call(worker, "hidden")).AsInt64());
        var descriptor = Dispatcher(worker).Descriptor;
        Assert.False(descriptor.Endpoints.Single(e => e.Name == "hidden").Publish);
        Assert.True(descriptor.Endpoints.Single(e => e.Name == "submit").Publish);
    }

    [Fact]
    public async Task Task_handler_binds_task_and_context()
    {
        var worker = new Worker();
        var dispatcher = Dispatcher(worker);
        Assert.Equal(dispatcher.Descriptor.Endpoints.Count, dispatcher.Descriptor.TaskHandler);
        var context = MsgPackValue.FromMap(new[] { new KeyValuePair<string, MsgPackValue>("url", "x") });
        Assert.Equal("review+url=x", (await LocalInvoker.InvokeAsync(dispatcher, "_agent.ask", new MsgPackValue[] { "review" }, new Dictionary<string, MsgPackValue> { ["context"] = context })).AsString());
        Assert.Equal("q", (await LocalInvoker.InvokeAsync(dispatcher, "_node.ask", null, new Dictionary<string, MsgPackValue> { ["task"] = "q" })).AsString());
    }

    [Fact]
    public async Task Task_handler_that_is_an_endpoint_accepts_both_names()
    {
        var dispatcher = Dispatcher(new Answerer());
        Assert.Equal(0, dispatcher.Descriptor.TaskHandler);
        Assert.Equal("q/h", (await LocalInvoker.InvokeAsync(dispatcher, "answer", null, new Dictionary<string, MsgPackValue> { ["question"] = "q", ["hint"] = "h" })).AsString());
        Assert.Equal("q/h", (await LocalInvoker.InvokeAsync(dispatcher, "_agent.ask", null, new Dictionary<string, MsgPackValue> { ["task"] = "q", ["context"] = "h" })).AsString());

        // _agent.ask(task, context=None): a nullable context is optional even without a C# default.
        Assert.Equal("q/-", (await LocalInvoker.InvokeAsync(dispatcher, "_agent.ask", new MsgPackValue[] { "q" })).AsString());
        var error = await Assert.ThrowsAsync<RpcException>(() => LocalInvoker.InvokeAsync(dispatcher, "_agent.ask"));
        Assert.Equal("answer() missing 1 required positional argument: 'question'", error.Message);
    }

    [Fact]
    public async Task Runs_background_jobs()
    {
        var worker = new Worker();
        var dispatcher = Dispatcher(worker);
        var jobs = dispatcher.Descriptor.BackgroundJobs;
        Assert.Equal(new[] { "Tick", "RefreshAsync" }, jobs.Select(j => j.Name));
        Assert.Equal(TimeSpan.FromMilliseconds(250), Assert.IsType<IntervalSchedule>(jobs[0].Schedule).Interval);
        Assert.Equal(TimeSpan.FromMinutes(1), Assert.IsType<IntervalSchedule>(jobs[1].Schedule).Interval);

        using var cts = new CancellationTokenSource();
        await dispatcher.RunBackgroundJobAsync(0, cts.Token);
        await dispatcher.RunBackgroundJobAsync(1, cts.Token);
        Assert.Equal(1, worker.Ticks);
        Assert.Equal(cts.Token, worker.LastToken);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => dispatcher.RunBackgroundJobAsync(2, cts.Token));
    }

    [Fact]
    public void Descriptor_describes_the_agent()
    {
        var descriptor = Dispatcher(new Calculator()).Descriptor;
        Assert.Equal("Calculator", descriptor.Name);
        Assert.Equal("math", descriptor.Role);
        Assert.Equal("The calculator agent.", descriptor.Description);
        Assert.Equal(-1, descriptor.TaskHandler);
        Assert.Empty(descriptor.BackgroundJobs);
        Assert.Equal(new[] { "sum", "scale", "greet", "noop" }, descriptor.Endpoints.Select(e => e.Name));
        Assert.Equal(new[] { "arithmetic", "rounding" }, descriptor.Capabilities.Select(c => c.Name));
        Assert.Equal("{}", descriptor.Capabilities[0].InputSchema);
        Assert.Equal("Rounds numbers", descriptor.Capabilities[1].Description);
        Assert.Equal("{\"type\":\"number\"}", descriptor.Capabilities[1].InputSchema);

        var sum = descriptor.Endpoints[0];
        Assert.Equal("Adds two integers.", sum.Description);
        using var input = JsonDocument.Parse(sum.InputSchema);
        Assert.Equal("object", input.RootElement.GetProperty("type").GetString());
        Assert.Equal("The first addend.", input.RootElement.GetProperty("properties").GetProperty("a").GetProperty("description").GetString());
        Assert.Equal(new[] { "a", "b" }, input.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        using var output = JsonDocument.Parse(sum.OutputSchema);
        Assert.Equal("integer", output.RootElement.GetProperty("type").GetString());
        using var noop = JsonDocument.Parse(descriptor.Endpoints[3].OutputSchema);
        Assert.Equal("null", noop.RootElement.GetProperty("type").GetString());

        var worker = Dispatcher(new Worker()).Descriptor;
        Assert.Equal("worker", worker.Name);
        Assert.Equal("Does jobs", worker.Description);
        foreach (var endpoint in worker.Endpoints)
        {
            using var i = JsonDocument.Parse(endpoint.InputSchema);
            using var o = JsonDocument.Parse(endpoint.OutputSchema);
        }

        using var job = JsonDocument.Parse(worker.Endpoints[0].InputSchema);
        var jobSchema = job.RootElement.GetProperty("properties").GetProperty("job");
        Assert.Equal(new[] { "Title" }, jobSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("integer", jobSchema.GetProperty("properties").GetProperty("prio").GetProperty("type").GetString());
        Assert.Equal("object", jobSchema.GetProperty("properties").GetProperty("Steps").GetProperty("items").GetProperty("properties").GetProperty("Next").GetProperty("type").EnumerateArray().First().GetString());
    }

    [Fact]
    public void FindEndpoint_matches_utf8_names()
    {
        var dispatcher = Dispatcher(new Worker());
        Assert.Equal(0, dispatcher.FindEndpoint("submit"u8));
        Assert.Equal(4, dispatcher.FindEndpoint("echo-all"u8));
        Assert.Equal(-1, dispatcher.FindEndpoint("submi"u8));
        Assert.Equal(-1, dispatcher.FindEndpoint("submiT"u8));
        Assert.Equal(-1, dispatcher.FindEndpoint(ReadOnlySpan<byte>.Empty));
        Assert.Equal(0, Dispatcher(new Outer.NestedAgent()).FindEndpoint(Encoding.UTF8.GetBytes("nested.ping")));
    }

    [Fact]
    public async Task Unknown_targets_and_endpoints_fail()
    {
        await Assert.ThrowsAsync<RpcException>(() => Call(new Calculator(), "nope"));
        var dispatcher = Dispatcher(new Calculator());
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = dispatcher.InvokeAsync(99, null!); });
    }

    private static MsgPackValue Encode(Job job)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        SynapseFormatters.Write(ref writer, job);
        writer.Flush();
        return MsgPackValue.Parse(buffer.WrittenMemory);
    }
}
