using Synapse.Buffers;
using Synapse.MessagePack;
using Synapse.Transport.Framing;

namespace Synapse.Rpc;

/// <summary>
/// One item of a streamed result, <c>{"id": …, "type": "item", "value": …}</c>, in a pooled buffer returned when
/// the frame has been written.
/// </summary>
internal sealed class StreamItemFrame : IOutboundFrame, IDisposable
{
    private readonly PooledBufferWriter _buffer = new(256);

    private StreamItemFrame()
    {
    }

    public ReadOnlyMemory<byte> Frame => _buffer.WrittenMemory;

    /// <summary>Encodes <paramref name="item"/> for the call whose id token is <paramref name="idToken"/>.</summary>
    /// <exception cref="RpcException"><c>internal_error</c>: the item is larger than the caller accepts.</exception>
    public static StreamItemFrame Encode<TItem>(ReadOnlySpan<byte> idToken, TItem item, RpcItemWriter<TItem> write, int maxFrameSize)
    {
        var frame = new StreamItemFrame();
        try
        {
            var writer = new MsgPackWriter(frame._buffer);
            RpcProtocol.WriteFrameHeaderPlaceholder(ref writer);
            writer.WriteMapHeader(3);
            writer.WriteStringUtf8("id"u8);
            writer.WriteRaw(idToken);
            writer.WriteStringUtf8("type"u8);
            writer.WriteStringUtf8("item"u8);
            writer.WriteStringUtf8("value"u8);
            write(ref writer, item);
            writer.Flush();
            var length = frame._buffer.WrittenCount - Frames.HeaderSize;
            if (length > maxFrameSize)
            {
                throw new RpcException(RpcErrorCodes.InternalError, $"stream item too large: {length} > {maxFrameSize}");
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

    public void OnWritten() => Dispose();

    public void Dispose() => _buffer.Dispose();
}
