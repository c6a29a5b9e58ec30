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

    /// <summary>A progress report of the call; ignored unless the caller asked for progress.</summary>
    public virtual void Progress(ReadOnlySequence<byte> value, MsgPackReaderOptions options)
    {
    }

    protected abstract void SetResult(ReadOnlySequence<byte> result, MsgPackReaderOptions options);
}

/// <summary>A pending call whose caller takes its progress reports, each read by a typed reader.</summary>
internal sealed class PendingCallWithProgress<TResult, TProgress>(string endpoint, RpcResultReader<TResult>? readResult, IProgress<TProgress> progress, RpcResultReader<TProgress> readProgress)
    : PendingCall<TResult>(endpoint, readResult)
{
    public override void Progress(ReadOnlySequence<byte> value, MsgPackReaderOptions options)
    {
        TProgress report;
        try
        {
            var reader = new MsgPackReader(value, options);
            report = readProgress(ref reader);
        }
        catch (Exception e) when (e is MsgPackException or InvalidOperationException or FormatException or OverflowException)
        {
            return; // a report that cannot be read is dropped: the call's result is what counts
        }

        progress.Report(report);
    }
}

/// <summary>A pending call whose result is read by a typed reader.</summary>
internal class PendingCall<TResult>(string endpoint, RpcResultReader<TResult>? readResult) : PendingCall(endpoint)
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

/// <summary>What takes the items of a streaming call as they arrive.</summary>
internal interface IStreamItems
{
    /// <summary>Takes one item; false when the stream failed on it (and was failed).</summary>
    bool TryAdd(ReadOnlySequence<byte> value, MsgPackReaderOptions options);
}

/// <summary>
/// A streaming call: its items wait here, read by a typed reader, until the consumer takes them; the response that
/// ends the stream completes it. The host sends no more items than the consumer granted, so what waits is bounded.
/// </summary>
internal sealed class PendingStream<TItem>(string endpoint, RpcResultReader<TItem> readItem) : PendingCall(endpoint), IStreamItems
{
    private readonly System.Threading.Channels.Channel<TItem> _items = System.Threading.Channels.Channel.CreateBounded<TItem>(
        new System.Threading.Channels.BoundedChannelOptions(RpcProtocol.MaxStreamCredit) { SingleReader = true, SingleWriter = true });

    private int _credit = RpcProtocol.StreamWindow;

    public System.Threading.Channels.ChannelReader<TItem> Items => _items.Reader;

    /// <summary>Counts credit granted to the host, before the notice that grants it is sent.</summary>
    public void Granted(int credits) => Interlocked.Add(ref _credit, credits);

    /// <summary>Takes one item; false when the host sent more than it was granted, or one that cannot be read (the stream then fails).</summary>
    public bool TryAdd(ReadOnlySequence<byte> value, MsgPackReaderOptions options)
    {
        try
        {
            if (Interlocked.Decrement(ref _credit) >= 0)
            {
                var reader = new MsgPackReader(value, options);
                if (_items.Writer.TryWrite(readItem(ref reader)))
                {
                    return true;
                }
            }

            Fail(new RpcException(RpcErrorCodes.ProtocolError, $"'{Endpoint}' sent more stream items than it was granted") { Endpoint = Endpoint });
        }
        catch (Exception e)
        {
            Fail(new RpcException(RpcErrorCodes.ProtocolError, $"cannot read an item of '{Endpoint}': {e.Message}", e) { Endpoint = Endpoint });
        }

        return false;
    }

    public override void Fail(Exception exception) => _items.Writer.TryComplete(exception);

    protected override void SetResult(ReadOnlySequence<byte> result, MsgPackReaderOptions options) => _items.Writer.TryComplete();
}
