using System.Diagnostics;
using System.IO.Pipelines;

namespace Synapse.Transport.Framing;

/// <summary>
/// The deadline of each read of a framed connection: the rest of the frame timeout while a frame is partly received
/// (counted from its first byte, so trickling bytes cannot extend it), the idle timeout between frames, none while the
/// peer is owed answers. Used by the agent host and the relay; one instance per connection, read by one loop.
/// </summary>
/// <param name="frameTimeout">How long a frame may take from its first byte to its last.</param>
/// <param name="idleTimeout">How long the connection may stay silent between frames; <c>null</c> for ever.</param>
public sealed class FrameDeadlines(TimeSpan frameTimeout, TimeSpan? idleTimeout) : IDisposable
{
    private CancellationTokenSource _timeout = new();
    private long _frameStartedAt;

    /// <summary>How long a frame may take from its first byte to its last.</summary>
    public TimeSpan FrameTimeout => frameTimeout;

    /// <summary>Whether a frame is partly received, so its deadline (not the idle one) applies.</summary>
    public bool InPartialFrame => _frameStartedAt != 0;

    /// <summary>A whole frame was taken from the input.</summary>
    public void FrameCompleted() => _frameStartedAt = 0;

    /// <summary>Called with what stays buffered after a read was handled: a partial frame starts its clock once.</summary>
    /// <param name="partialFrame">Whether the bytes left over begin a frame not yet complete.</param>
    public void Buffered(bool partialFrame)
    {
        if (!partialFrame)
        {
            _frameStartedAt = 0;
        }
        else if (_frameStartedAt == 0)
        {
            _frameStartedAt = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>How long the next read may wait; <c>null</c> for as long as it takes.</summary>
    /// <param name="callsRunning">Whether the peer waits on answers from this side: silence is then not idleness.</param>
    public TimeSpan? NextLimit(bool callsRunning = false) =>
        InPartialFrame ? frameTimeout - Stopwatch.GetElapsedTime(_frameStartedAt)
        : callsRunning ? null : idleTimeout;

    /// <summary>
    /// Reads within the deadline. Returns <c>null</c> when it passed; <see cref="InPartialFrame"/> then tells whether a
    /// frame was left incomplete or the connection was idle.
    /// </summary>
    /// <param name="input">The connection's input.</param>
    /// <param name="callsRunning">Whether the peer waits on answers from this side (no idle deadline then).</param>
    public async ValueTask<ReadResult?> ReadAsync(PipeReader input, bool callsRunning = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (NextLimit(callsRunning) is { } limit)
        {
            _timeout.CancelAfter(limit > TimeSpan.Zero ? limit : TimeSpan.FromMilliseconds(1));
        }

        try
        {
            return await input.ReadAsync(_timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_timeout.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            if (!_timeout.TryReset())
            {
                _timeout.Dispose();
                _timeout = new CancellationTokenSource();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timeout.Dispose();
}
