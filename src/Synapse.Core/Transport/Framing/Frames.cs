using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Synapse.Rpc;

namespace Synapse.Transport.Framing;

/// <summary>
/// The framing every Synapse protocol shares (synapse-p2p requests and responses, secure-link records, relay frames):
/// a 4-byte big-endian payload length, then the payload. Readers check the declared size before waiting for the body.
/// </summary>
public static class Frames
{
    /// <summary>The size of the length prefix.</summary>
    public const int HeaderSize = 4;

    /// <summary>Writes the length prefix of a <paramref name="payloadLength"/>-byte payload into <paramref name="header"/>.</summary>
    public static void WriteHeader(Span<byte> header, int payloadLength) =>
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payloadLength);

    /// <summary>Finds the first complete frame in <paramref name="buffer"/>.</summary>
    /// <exception cref="RpcException">The declared length exceeds <paramref name="maxFrameSize"/>.</exception>
    /// <exception cref="NotSynapsePeerException">The length prefix is text: the peer speaks another protocol.</exception>
    public static bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (!TryPeekLength(buffer, out var length))
        {
            return false;
        }

        if (length > (uint)maxFrameSize)
        {
            throw Oversized(buffer, length, maxFrameSize);
        }

        if (buffer.Length < HeaderSize + length)
        {
            return false;
        }

        frame = buffer.Slice(HeaderSize, length);
        buffer = buffer.Slice(frame.End);
        return true;
    }

    /// <summary>
    /// The error for a declared length over the limit. Four printable ASCII bytes declare at least 512 MiB, far over
    /// any frame limit, and are what a text protocol sends first ("HTTP", "SSH-", "220 "): that peer is named for what
    /// it is rather than reported as a huge frame.
    /// </summary>
    internal static RpcException Oversized(ReadOnlySequence<byte> buffer, uint length, int maxFrameSize)
    {
        const int MaxAnswer = 80;
        Span<byte> start = stackalloc byte[MaxAnswer];
        var read = (int)Math.Min(buffer.Length, MaxAnswer);
        buffer.Slice(0, read).CopyTo(start);
        start = start[..read];
        if (read < HeaderSize || start[..HeaderSize].ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
        {
            return new RpcException(RpcErrorCodes.ProtocolError, $"frame too large: {length} > {maxFrameSize}");
        }

        var lineEnd = start.IndexOfAny((byte)'\r', (byte)'\n');
        var line = lineEnd < 0 ? start : start[..lineEnd];
        Span<char> answer = stackalloc char[line.Length];
        for (var i = 0; i < line.Length; i++)
        {
            answer[i] = line[i] is >= 0x20 and <= 0x7E ? (char)line[i] : '?';
        }

        return new NotSynapsePeerException(new string(answer));
    }

    /// <summary>Reads the length prefix at the start of <paramref name="buffer"/> without consuming it.</summary>
    public static bool TryPeekLength(ReadOnlySequence<byte> buffer, out uint length)
    {
        length = 0;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
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
