using System.Buffers;
using System.IO.Pipelines;
using Synapse.Relay;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Benchmarks.Relay;

/// <summary>The receiving side of a throughput run: counts frames, and for relay deliveries confirms direct ones.</summary>
internal sealed class FrameCounter(PipeReader input, PipeWriter output, bool relayFrames, bool confirm, SemaphoreSlim? window)
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                var confirmed = new List<Guid>();
                var taken = 0;
                while (Frames.TryTakeFrame(ref buffer, 16 << 20, out var frame))
                {
                    if (relayFrames)
                    {
                        var decoded = RelayFrame.Decode(frame);
                        if (decoded.Op != RelayOp.Deliver)
                        {
                            continue;
                        }

                        if (confirm)
                        {
                            confirmed.Add(Synapse.Envelopes.SealedEnvelope.Decode(decoded.Envelope).MessageId);
                        }
                    }

                    taken++;
                }

                if (taken > 0)
                {
                    Interlocked.Add(ref _count, taken);
                    window?.Release(taken);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (confirmed.Count > 0)
                {
                    // As RelayClient does: one confirmation frame for everything handled from this read.
                    output.Write(RelayFrame.ForIds(RelayOp.Received, confirmed));
                    await output.FlushAsync(cancellationToken);
                }

                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
        }
    }
}
