using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Synapse.Rpc;

/// <summary>Reads length-prefixed frames from a pipe, checking the declared size before waiting for the body.</summary>
internal static class FrameReading
{
    /// <summary>Finds the first complete frame in <paramref name="buffer"/>.</summary>
    /// <exception cref="RpcException">The declared length exceeds <paramref name="maxFrameSize"/>.</exception>
    public static bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (!TryPeekLength(buffer, out var length))
        {
            return false;
        }

        if (length > (uint)maxFrameSize)
        {
            throw new RpcException(RpcErrorCodes.ProtocolError, $"frame too large: {length} > {maxFrameSize}");
        }

        if (buffer.Length < RpcProtocol.FrameHeaderSize + length)
        {
            return false;
        }

        frame = buffer.Slice(RpcProtocol.FrameHeaderSize, length);
        buffer = buffer.Slice(frame.End);
        return true;
    }

    /// <summary>Reads the length prefix at the start of <paramref name="buffer"/> without consuming it.</summary>
    public static bool TryPeekLength(ReadOnlySequence<byte> buffer, out uint length)
    {
        length = 0;
        if (buffer.Length < RpcProtocol.FrameHeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[RpcProtocol.FrameHeaderSize];
        buffer.Slice(0, RpcProtocol.FrameHeaderSize).CopyTo(header);
        length = BinaryPrimitives.ReadUInt32BigEndian(header);
        return true;
    }

    /// <summary>Reads exactly one frame and copies it out; <c>null</c> if the peer closed before a complete frame.</summary>
    public static async ValueTask<byte[]?> ReadOneAsync(PipeReader input, int maxFrameSize, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryTakeFrame(ref buffer, maxFrameSize, out var frame))
            {
                var copy = frame.ToArray();
                input.AdvanceTo(buffer.Start);
                return copy;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return null;
            }
        }
    }
}
