using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.MessagePack;
using Synapse.Transport.Framing;

namespace Synapse.Rpc;

/// <summary>
/// Calls a generated dispatcher in process, through the same binding and encoding as a network call but without a
/// transport: for unit tests of agents and for benchmarks of dispatch. Of the built-ins it answers only the agent's
/// own <c>_agent.ask</c> and <c>_node.ask</c>; the host's, the swarm's and reputation's need a host.
/// </summary>
public static class LocalInvoker
{
    /// <summary>Invokes <paramref name="endpoint"/> on <paramref name="dispatcher"/> and returns its result.</summary>
    /// <exception cref="RpcException">The call ended with an error response.</exception>
    public static async Task<MsgPackValue> InvokeAsync(
        AgentDispatcher dispatcher,
        string endpoint,
        IReadOnlyList<MsgPackValue>? args = null,
        IReadOnlyDictionary<string, MsgPackValue>? kwargs = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(endpoint);
        var invocation = new RpcInvocation(MsgPackReaderOptions.Default);
        using var registration = cancellationToken.Register(invocation.Cancel);
        var name = System.Text.Encoding.UTF8.GetBytes(endpoint);
        invocation.Start(endpoint, default, new ReadOnlySequence<byte>(Encode(args)), new ReadOnlySequence<byte>(Encode(kwargs)), null, null, int.MaxValue);
        var builtins = new BuiltinRegistry();
        AskBuiltin.Register(builtins, dispatcher);
        await CallExecutor.ExecuteAsync(dispatcher, invocation, CallExecutor.Resolve(dispatcher, builtins, name), name, NullLogger.Instance).ConfigureAwait(false);
        var frame = invocation.ResponseFrame[Frames.HeaderSize..];
        var error = RpcResponseParser.TryParse(new ReadOnlySequence<byte>(frame), MsgPackReaderOptions.Default, out var response);
        if (error is not null)
        {
            throw new RpcException(RpcErrorCodes.ProtocolError, error);
        }

        if (!response.Ok)
        {
            throw new RpcException(response.ErrorCode ?? RpcErrorCodes.InternalError, response.ErrorMessage ?? "RPC call failed") { Endpoint = endpoint };
        }

        var reader = new MsgPackReader(response.Result);
        return MsgPackValue.ReadFrom(ref reader);
    }

    private static byte[] Encode(IReadOnlyList<MsgPackValue>? args)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        writer.WriteArrayHeader(args?.Count ?? 0);
        foreach (var value in args ?? [])
        {
            value.WriteTo(ref writer);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Encode(IReadOnlyDictionary<string, MsgPackValue>? kwargs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        writer.WriteMapHeader(kwargs?.Count ?? 0);
        foreach (var (key, value) in kwargs ?? new Dictionary<string, MsgPackValue>())
        {
            writer.WriteString(key);
            value.WriteTo(ref writer);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
