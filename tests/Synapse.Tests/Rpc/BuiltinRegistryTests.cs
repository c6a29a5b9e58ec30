using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Tests.Rpc;

/// <summary>The seam through which built-ins are registered, and how the call executor resolves names against it.</summary>
public sealed class BuiltinRegistryTests
{
    private static readonly AgentDispatcher Agent = new TestAgent().CreateDispatcher();

    private static BuiltinHandler Answer(string text) => call =>
    {
        var writer = call.BeginResult();
        writer.WriteString(text);
        call.EndResult(ref writer);
        return default;
    };

    [Fact]
    public void A_registered_name_is_found_by_its_utf8_bytes_and_no_other()
    {
        var builtins = new BuiltinRegistry();
        builtins.Add("_x.one", Answer("one"));
        builtins.Add("plain", Answer("plain"));

        Assert.Equal("_x.one", builtins.Find("_x.one"u8)?.Name);
        Assert.Equal("plain", builtins.Find("plain"u8)?.Name);
        Assert.Null(builtins.Find("_x.on"u8));
        Assert.Null(builtins.Find("_x.one "u8));
        Assert.Null(builtins.Find(""u8));
    }

    [Fact]
    public void A_name_is_registered_once_and_only_a_registered_one_is_replaced()
    {
        var builtins = new BuiltinRegistry();
        builtins.Add("_x.one", Answer("one"));

        Assert.Throws<InvalidOperationException>(() => builtins.Add("_x.one", Answer("again")));
        Assert.Throws<InvalidOperationException>(() => builtins.Replace("_x.two", Answer("two")));
    }

    [Fact]
    public async Task A_replaced_builtin_answers_with_the_new_handler_and_keeps_yielding()
    {
        var builtins = new BuiltinRegistry();
        builtins.Add("_x.peers", Answer("none"));
        builtins.Add("synapse.ask", Answer("default"), yieldsToAgent: true);

        builtins.Replace("_x.peers", Answer("members"));
        builtins.Replace("synapse.ask", Answer("swarm"));

        Assert.Equal("members", await CallAsync(builtins, "_x.peers"));
        Assert.True(builtins.Find("synapse.ask"u8)!.YieldsToAgent);
    }

    [Fact]
    public async Task A_builtin_wins_over_an_agent_endpoint_of_the_same_name_unless_it_yields()
    {
        var builtins = new BuiltinRegistry();
        builtins.Add("sum", Answer("builtin sum"));
        builtins.Add("echo", Answer("builtin echo"), yieldsToAgent: true);
        builtins.Add("nobody", Answer("builtin nobody"), yieldsToAgent: true);

        Assert.Equal("builtin sum", await CallAsync(builtins, "sum"));
        Assert.Equal("agent's echo", await CallAsync(builtins, "echo", "agent's echo"));
        Assert.Equal("builtin nobody", await CallAsync(builtins, "nobody"));
    }

    [Fact]
    public async Task An_unregistered_name_is_a_bad_request_named_as_synapse_p2p_names_it()
    {
        var builtins = new BuiltinRegistry();

        var target = CallExecutor.Resolve(Agent, builtins, "_x.missing"u8);
        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(builtins, "_x.missing"));

        Assert.Equal((null, -1, "(unregistered)"), (target.Builtin, target.Index, target.Name));
        Assert.Equal(RpcErrorCodes.BadRequest, error.Code);
        Assert.Equal("Unregistered endpoint called: _x.missing", error.Message);
    }

    /// <summary>Resolves and executes <paramref name="endpoint"/> as a host does; returns the string result.</summary>
    private static async Task<string> CallAsync(BuiltinRegistry builtins, string endpoint, string argument = "")
    {
        var name = Encoding.UTF8.GetBytes(endpoint);
        var invocation = new RpcInvocation(MsgPackReaderOptions.Default);
        var args = MsgPackValue.FromArray([argument]).ToBytes();
        invocation.Start(endpoint, default, new ReadOnlySequence<byte>(args), new ReadOnlySequence<byte>(MsgPackValue.Map().ToBytes()), null, null, int.MaxValue);
        await CallExecutor.ExecuteAsync(Agent, invocation, CallExecutor.Resolve(Agent, builtins, name), name, NullLogger.Instance);
        var error = RpcResponseParser.TryParse(new ReadOnlySequence<byte>(invocation.ResponseFrame[Frames.HeaderSize..]), MsgPackReaderOptions.Default, out var response);
        Assert.Null(error);
        if (!response.Ok)
        {
            throw new RpcException(response.ErrorCode!, response.ErrorMessage!);
        }

        var reader = new MsgPackReader(response.Result);
        return MsgPackValue.ReadFrom(ref reader).AsString();
    }
}
