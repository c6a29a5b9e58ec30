using Synapse.Buffers;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Client;

/// <summary>An encoded request frame in a pooled buffer, returned to the pool once written.</summary>
internal sealed class RequestFrame : IOutboundFrame, IDisposable
{
    private readonly PooledBufferWriter _buffer = new(256);

    public ReadOnlyMemory<byte> Frame => _buffer.WrittenMemory;

    public int PayloadLength => _buffer.WrittenCount - Frames.HeaderSize;

    /// <summary>
    /// Encodes <c>{endpoint, id, args, kwargs, type}</c> in synapse-p2p's key order, followed by the W3C trace context
    /// when given (only for a host that said it reads it, on a multiplexed link).
    /// </summary>
    public static RequestFrame Encode<TArgs>(string endpoint, string id, in TArgs arguments, RpcArgumentsWriter<TArgs>? writeArguments, RpcArgumentsWriter<TArgs>? writeKeywords, string? traceParent = null, string? traceState = null)
    {
        var frame = new RequestFrame();
        try
        {
            var writer = new MsgPackWriter(frame._buffer);
            RpcProtocol.WriteFrameHeaderPlaceholder(ref writer);
            var hasState = traceParent is not null && !string.IsNullOrEmpty(traceState);
            writer.WriteMapHeader(5 + (traceParent is null ? 0 : 1) + (hasState ? 1 : 0));
            writer.WriteStringUtf8("endpoint"u8);
            writer.WriteString(endpoint);
            writer.WriteStringUtf8("id"u8);
            writer.WriteString(id);
            writer.WriteStringUtf8("args"u8);
            if (writeArguments is null)
            {
                writer.WriteArrayHeader(0);
            }
            else
            {
                writeArguments(ref writer, in arguments);
            }

            writer.WriteStringUtf8("kwargs"u8);
            if (writeKeywords is null)
            {
                writer.WriteMapHeader(0);
            }
            else
            {
                writeKeywords(ref writer, in arguments);
            }

            writer.WriteStringUtf8("type"u8);
            writer.WriteStringUtf8("request"u8);
            if (traceParent is not null)
            {
                writer.WriteStringUtf8("traceparent"u8);
                writer.WriteString(traceParent);
                if (hasState)
                {
                    writer.WriteStringUtf8("tracestate"u8);
                    writer.WriteString(traceState);
                }
            }

            return frame.Complete(ref writer);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>Encodes a cancel notice for call <paramref name="id"/> (multiplexed links only).</summary>
    public static RequestFrame EncodeCancel(string id) => EncodeNotice(id, "cancel"u8, credits: 0);

    /// <summary>Encodes a credit notice: stream <paramref name="id"/> may send <paramref name="credits"/> more items.</summary>
    public static RequestFrame EncodeCredit(string id, int credits) => EncodeNotice(id, "credit"u8, credits);

    /// <summary>A notice about call <paramref name="id"/>: <c>{"id", "type"}</c>, and <c>"n"</c> when it grants credits.</summary>
    private static RequestFrame EncodeNotice(string id, ReadOnlySpan<byte> type, int credits)
    {
        var frame = new RequestFrame();
        var writer = new MsgPackWriter(frame._buffer);
        RpcProtocol.WriteFrameHeaderPlaceholder(ref writer);
        writer.WriteMapHeader(credits > 0 ? 3 : 2);
        writer.WriteStringUtf8("id"u8);
        writer.WriteString(id);
        writer.WriteStringUtf8("type"u8);
        writer.WriteStringUtf8(type);
        if (credits > 0)
        {
            writer.WriteStringUtf8("n"u8);
            writer.WriteInt32(credits);
        }

        return frame.Complete(ref writer);
    }

    public void OnWritten() => Dispose();

    /// <summary>Commits what <paramref name="writer"/> wrote and fills in the length prefix.</summary>
    private RequestFrame Complete(ref MsgPackWriter writer)
    {
        writer.Flush();
        Frames.WriteHeader(_buffer.GetWrittenSpanForPatch(0, Frames.HeaderSize), PayloadLength);
        return this;
    }

    public void Dispose() => _buffer.Dispose();
}
