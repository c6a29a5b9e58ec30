using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Transport;

namespace Synapse.Tests.Hosting;

/// <summary>A transport over two in-memory pipes: the test plays the caller on <see cref="Caller"/>.</summary>
internal sealed class PipeTransport : ITransportConnection, IDuplexPipe
{
    private readonly Pipe _toHost = new();
    private readonly Pipe _toCaller = new();

    public IDuplexPipe Pipe => this;

    public PipeReader Input => _toHost.Reader;

    public PipeWriter Output => _toCaller.Writer;

    /// <summary>What the caller writes (to the host) and reads (from the host).</summary>
    public (PipeWriter Send, PipeReader Receive) Caller => (_toHost.Writer, _toCaller.Reader);

    public EndPoint? RemoteEndPoint => null;

    public EndPoint? LocalEndPoint => null;

    public string? PeerId => null;

    public int Aborts { get; private set; }

    public void Abort() => Aborts++;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Counts the calls handed back for recycling.</summary>
internal sealed class RecordingOwner : IInvocationOwner
{
    public List<RpcInvocation> Written { get; } = [];

    public void OnResponseWritten(RpcInvocation invocation)
    {
        lock (Written)
        {
            Written.Add(invocation);
        }
    }
}

internal static class TestCalls
{
    /// <summary>An invocation started for request <paramref name="id"/>, as a connection starts one.</summary>
    public static RpcInvocation Start(string id, IInvocationOwner? owner = null)
    {
        var invocation = new RpcInvocation(MsgPackReaderOptions.Default) { Owner = owner };
        invocation.Start("sum", new ReadOnlySequence<byte>(MsgPackValue.From(id).ToBytes()), default, default, null, null, int.MaxValue);
        return invocation;
    }

    /// <summary>A length-prefixed frame of the JSON document encoded as MessagePack.</summary>
    public static byte[] Frame(string json) => Synapse.Tests.Rpc.RawSocket.Frame(json);

    public static async Task<T> Within<T>(Task<T> task, int seconds = 10) => await task.WaitAsync(TimeSpan.FromSeconds(seconds));

    public static async Task Within(Task task, int seconds = 10) => await task.WaitAsync(TimeSpan.FromSeconds(seconds));
}
