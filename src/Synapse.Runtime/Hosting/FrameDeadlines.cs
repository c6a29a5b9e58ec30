using System.Diagnostics;
using System.IO.Pipelines;

namespace Synapse.Hosting;

/// <summary>
/// The deadline of each read between requests: the rest of <see cref="AgentHostOptions.FrameReadTimeout"/> while a
/// frame is partly received (counted from its first byte, so trickling bytes cannot extend it), the idle timeout
/// between frames, none while calls are running.
/// </summary>
internal sealed class FrameDeadlines(TimeSpan frameReadTimeout, TimeSpan idleTimeout) : IDisposable
{
    private CancellationTokenSource _timeout = new();
    private long _frameStartedAt;

    /// <summary>Whether a frame is partly received, so its deadline (not the idle one) applies.</summary>
    public bool InPartialFrame => _frameStartedAt != 0;

    /// <summary>A whole frame was taken from the input.</summary>
    public void FrameCompleted() => _frameStartedAt = 0;

    /// <summary>Called with what stays buffered after a read was handled: a partial frame starts its clock once.</summary>
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
    public TimeSpan? NextLimit(bool callsRunning) =>
        InPartialFrame ? frameReadTimeout - Stopwatch.GetElapsedTime(_frameStartedAt)
        : callsRunning ? null : idleTimeout;

    /// <summary>
    /// Reads within the deadline. Returns <c>null</c> when it passed; <see cref="InPartialFrame"/> then tells whether a
    /// frame was left incomplete or the connection was idle.
    /// </summary>
    public async ValueTask<ReadResult?> ReadAsync(PipeReader input, bool callsRunning)
    {
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

    public void Dispose() => _timeout.Dispose();
}
