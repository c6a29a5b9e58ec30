using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Hosting;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Testing;

/// <summary>
/// What <c>ServerConnection</c> does with one request frame, minus the socket: parse, resolve, bind, invoke, encode
/// the response. Shared by the allocation tests and the dispatch benchmarks (compiled into both).
/// </summary>
internal sealed class ServerPath
{
    private readonly AgentDispatcher _dispatcher;
    private readonly BuiltinRegistry _builtins = new();
    private readonly RpcInvocation _invocation = new(MsgPackReaderOptions.Default);

    public ServerPath(IAgentNode agent)
    {
        _dispatcher = agent.CreateDispatcher();
        new BuiltinEndpoints(_dispatcher.Descriptor, "bench", new AgentHostOptions().Profile(), new HostAddress("127.0.0.1", 9999)).Register(_builtins, _dispatcher);
    }

    /// <summary>The last response frame (valid until the next call).</summary>
    public ReadOnlyMemory<byte> LastResponse { get; private set; }

    public static byte[] Ping { get; } = Request("_synapse.ping", "[]", "{}");

    public static byte[] Request(string endpoint, string argsJson, string kwargsJson) => MsgPackValue.ParseJson(
        $$"""{"endpoint":"{{endpoint}}","id":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","args":{{argsJson}},"kwargs":{{kwargsJson}},"type":"request"}""").ToBytes();

    public int Handle(byte[] frame)
    {
        var error = RpcRequestParser.TryParse(new ReadOnlySequence<byte>(frame), MsgPackReaderOptions.Default, allowCancel: true, out var request);
        if (error is not null)
        {
            throw new InvalidOperationException(error);
        }

        var endpoint = request.Endpoint.FirstSpan;
        var target = CallExecutor.Resolve(_dispatcher, _builtins, endpoint);
        _invocation.Start(target.Name, request.Id, request.Arguments, request.KeywordArguments, null, null, 4 * 1024 * 1024);
        var pending = CallExecutor.ExecuteAsync(_dispatcher, _invocation, target, endpoint, NullLogger.Instance);
        if (!pending.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("the benchmark endpoints complete synchronously");
        }

        var length = _invocation.ResponseFrame.Length;
        LastResponse = _invocation.ResponseFrame;
        _invocation.TryReset();
        return length;
    }
}
