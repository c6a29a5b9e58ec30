using System.Diagnostics;
using System.IO.Pipelines;
using Synapse.Tests.Hosting;
using Synapse.Transport.Framing;

namespace Synapse.Tests.Transport;

public sealed class FrameDeadlinesTests
{
    [Fact]
    public void Between_frames_the_idle_timeout_applies_and_none_while_calls_run()
    {
        using var deadlines = new FrameDeadlines(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), deadlines.NextLimit(callsRunning: false));
        Assert.Null(deadlines.NextLimit(callsRunning: true));
        Assert.False(deadlines.InPartialFrame);
    }

    [Fact]
    public async Task A_partial_frame_is_timed_from_its_first_byte_even_while_calls_run()
    {
        using var deadlines = new FrameDeadlines(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

        deadlines.Buffered(partialFrame: true);
        await Task.Delay(100);
        deadlines.Buffered(partialFrame: true); // more bytes of the same frame do not restart its clock

        Assert.True(deadlines.InPartialFrame);
        Assert.InRange(deadlines.NextLimit(callsRunning: true)!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(4.95));

        deadlines.FrameCompleted();
        Assert.Equal(TimeSpan.FromSeconds(30), deadlines.NextLimit(callsRunning: false));

        deadlines.Buffered(partialFrame: true);
        deadlines.Buffered(partialFrame: false);
        Assert.False(deadlines.InPartialFrame);
    }

    [Fact]
    public async Task A_frame_not_completed_in_time_ends_the_read_and_says_so()
    {
        var pipe = new Pipe();
        using var deadlines = new FrameDeadlines(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
        deadlines.Buffered(partialFrame: true);

        var watch = Stopwatch.StartNew();
        var read = await TestCalls.Within(deadlines.ReadAsync(pipe.Reader, callsRunning: true).AsTask());

        Assert.Null(read);
        Assert.True(deadlines.InPartialFrame);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task A_silent_connection_times_out_idle_and_the_next_read_has_a_fresh_deadline()
    {
        var pipe = new Pipe();
        using var deadlines = new FrameDeadlines(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));

        Assert.Null(await TestCalls.Within(deadlines.ReadAsync(pipe.Reader, callsRunning: false).AsTask()));
        Assert.False(deadlines.InPartialFrame);

        await pipe.Writer.WriteAsync(new byte[] { 1, 2, 3 });
        var read = await TestCalls.Within(deadlines.ReadAsync(pipe.Reader, callsRunning: true).AsTask());
        Assert.Equal(3, read!.Value.Buffer.Length);
    }
}
