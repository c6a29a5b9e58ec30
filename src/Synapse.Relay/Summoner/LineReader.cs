using System.Buffers;
using System.IO.Pipelines;

namespace Synapse.Relay.Summoner;

/// <summary>
/// Splits a stream into <c>\n</c>-terminated lines of at most a given length. A longer line is skipped up to its newline
/// and reported, so one oversized line never ends the connection. A last line without newline is returned at end of stream.
/// </summary>
internal sealed class LineReader(Stream stream, int maxLineBytes)
{
    private readonly PipeReader _pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));

    /// <summary>Called with each line (without <c>\n</c>); the sequence is only valid during the call.</summary>
    public required Func<ReadOnlySequence<byte>, ValueTask> OnLine { get; init; }

    /// <summary>Called with the length of each line that was too long (a lower bound while it is still arriving).</summary>
    public required Action<long> OnOversized { get; init; }

    /// <summary>Reads until end of stream or cancellation.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var skipping = false;
        long skipped = 0;
        try
        {
            while (true)
            {
                var result = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } newline)
                {
                    var line = buffer.Slice(0, newline);
                    buffer = buffer.Slice(buffer.GetPosition(1, newline));
                    if (skipping || line.Length > maxLineBytes)
                    {
                        OnOversized(skipped + line.Length);
                        skipping = false;
                        skipped = 0;
                        continue;
                    }

                    await OnLine(line).ConfigureAwait(false);
                }

                if (skipping || buffer.Length > maxLineBytes)
                {
                    skipping = true;
                    skipped += buffer.Length;
                    buffer = buffer.Slice(buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    if (skipping)
                    {
                        OnOversized(skipped);
                    }
                    else if (!buffer.IsEmpty)
                    {
                        await OnLine(buffer).ConfigureAwait(false); // e.g. "Warning: Server disconnected." before close
                    }

                    return;
                }

                _pipe.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await _pipe.CompleteAsync().ConfigureAwait(false);
        }
    }
}
