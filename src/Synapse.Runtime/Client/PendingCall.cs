using System.Buffers;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Client;

/// <summary>A call waiting for its response.</summary>
internal abstract class PendingCall(string endpoint)
{
    public string Endpoint { get; } = endpoint;

    /// <summary>Completes the call from a parsed response (result or error).</summary>
    public void Complete(in ParsedResponse response, MsgPackReaderOptions options)
    {
        if (!response.Ok)
        {
            Fail(new RpcException(response.ErrorCode ?? RpcErrorCodes.InternalError, response.ErrorMessage ?? "RPC call failed") { Endpoint = Endpoint });
            return;
        }

        try
        {
            SetResult(response.Result, options);
        }
        catch (Exception e)
        {
            // Whatever the result reader throws (malformed value, missing key, unknown enum name) fails this call only.
            Fail(new RpcException(RpcErrorCodes.ProtocolError, $"cannot read the result of '{Endpoint}': {e.Message}", e) { Endpoint = Endpoint });
        }
    }

    public abstract void Fail(Exception exception);

    protected abstract void SetResult(ReadOnlySequence<byte> result, MsgPackReaderOptions options);
}

/// <summary>A pending call whose result is read by a typed reader.</summary>
internal sealed class PendingCall<TResult>(string endpoint, RpcResultReader<TResult>? readResult) : PendingCall(endpoint)
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Task => _completion.Task;

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public void Cancel(CancellationToken token) => _completion.TrySetCanceled(token);

    protected override void SetResult(ReadOnlySequence<byte> result, MsgPackReaderOptions options)
    {
        if (readResult is null)
        {
            _completion.TrySetResult(default!);
            return;
        }

        var reader = new MsgPackReader(result.IsEmpty ? NilValue : result, options);
        _completion.TrySetResult(readResult(ref reader));
    }

    private static readonly ReadOnlySequence<byte> NilValue = new([0xc0]);
}
