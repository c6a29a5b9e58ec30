using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Hosting;

/// <summary>
/// Refuses a connection so that the peer reads why: a <c>bad_request</c> with an empty id, a graceful close of our
/// side, then the peer's input read and dropped for a moment, because closing with unread data resets the connection
/// and destroys the error response before the peer reads it.
/// </summary>
internal static class LingeringClose
{
    /// <summary>The most input dropped while lingering.</summary>
    public const int MaxLingerBytes = 16 * 1024 * 1024;

    /// <summary>How long to linger at most.</summary>
    public static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(1);

    /// <summary>Logs and sends the error (after what <paramref name="outbox"/> still holds, if the connection has one), closes our side, lingers.</summary>
    public static async Task RejectAsync(ConnectionLink link, FrameOutbox? outbox, TimeSpan writeTimeout, ILogger logger, string message)
    {
        var transport = link.Transport;
        HostLog.BadRequest(logger, transport.RemoteEndPoint, message);
        var frame = RpcProtocol.EncodeErrorFrame(default, RpcErrorCodes.BadRequest, message);
        if (outbox is not null)
        {
            outbox.TryEnqueue(new StaticFrame(frame));
            outbox.Complete();
            await outbox.Completion.ConfigureAwait(false);
        }
        else
        {
            using var deadline = new CancellationTokenSource(writeTimeout);
            await transport.Pipe.Output.WriteAsync(frame, deadline.Token).ConfigureAwait(false);
        }

        await transport.Pipe.Output.CompleteAsync().ConfigureAwait(false);
        await LingerAsync(link.Input, LingerTime, MaxLingerBytes).ConfigureAwait(false);
    }

    /// <summary>Reads and drops input until the peer closes, <paramref name="time"/> passes or <paramref name="maxBytes"/> were dropped.</summary>
    /// <returns>How many bytes were dropped.</returns>
    public static async Task<long> LingerAsync(PipeReader input, TimeSpan time, long maxBytes)
    {
        using var linger = new CancellationTokenSource(time);
        long discarded = 0;
        try
        {
            while (discarded < maxBytes)
            {
                var result = await input.ReadAsync(linger.Token).ConfigureAwait(false);
                discarded += result.Buffer.Length;
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return discarded;
    }

    private sealed class StaticFrame(byte[] frame) : IOutboundFrame
    {
        public ReadOnlyMemory<byte> Frame => frame;

        public void OnWritten()
        {
        }
    }
}
