using Synapse.Buffers;
using Synapse.MessagePack;
using Synapse.Transport.Framing;

namespace Synapse.Rpc;

/// <summary>
/// A value a call sends before its response, <c>{"id": …, "type": "item" or "progress", "value": …}</c>: an item of
/// a streamed result or a progress report, in a pooled buffer returned when the frame has been written.
/// </summary>
internal sealed class StreamItemFrame : IOutboundFrame, IDisposable
{
    private readonly PooledBufferWriter _buffer = new(256);
    private readonly Action? _written;

    private StreamItemFrame(Action? written)
    {
        _written = written;
    }

    public ReadOnlyMemory<byte> Frame => _buffer.WrittenMemory;

    /// <summary>Encodes <paramref name="item"/> for the call whose id token is <paramref name="idToken"/>.</summary>
    /// <param name="idToken">The call's id, as the request encoded it.</param>
    /// <param name="type"><c>item</c> or <c>progress</c>.</param>
    /// <param name="item">The value.</param>
    /// <param name="write">Writes the value.</param>
    /// <param name="maxFrameSize">The largest frame the caller accepts.</param>
    /// <param name="written">Called once the frame has been written.</param>
    /// <exception cref="RpcException"><c>internal_error</c>: the item is larger than the caller accepts.</exception>
    public static StreamItemFrame Encode<TItem>(ReadOnlySpan<byte> idToken, ReadOnlySpan<byte> type, TItem item, RpcItemWriter<TItem> write, int maxFrameSize, Action? written = null)
    {
        var frame = new StreamItemFrame(written);
        try
        {
            var writer = new MsgPackWriter(frame._buffer);
            RpcProtocol.WriteFrameHeaderPlaceholder(ref writer);
            writer.WriteMapHeader(3);
            writer.WriteStringUtf8("id"u8);
            writer.WriteRaw(idToken);
            writer.WriteStringUtf8("type"u8);
            writer.WriteStringUtf8(type);
            writer.WriteStringUtf8("value"u8);
            write(ref writer, item);
            writer.Flush();
            var length = frame._buffer.WrittenCount - Frames.HeaderSize;
            if (length > maxFrameSize)
            {
                throw new RpcException(RpcErrorCodes.InternalError, $"{(type.SequenceEqual("item"u8) ? "stream item" : "progress report")} too large: {length} > {maxFrameSize}");
            }

            Frames.WriteHeader(frame._buffer.GetWrittenSpanForPatch(0, Frames.HeaderSize), length);
            return frame;
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    public void OnWritten()
    {
        Dispose();
        _written?.Invoke();
    }

    public void Dispose() => _buffer.Dispose();
}
