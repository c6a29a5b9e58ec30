using System.Buffers;
using System.IO.Pipelines;
using Synapse.Transport.Framing;
using Xunit;

namespace Synapse.Tests.Transport;

/// <summary>The one writer per connection, over struct frames as the relay's links queue them.</summary>
public sealed class FrameOutboxTests
{
    [Fact]
    public async Task Frames_are_written_in_order_each_reported_once_and_queued_ones_survive_completion()
    {
        var pipe = new Pipe();
        var written = new Written();
        var outbox = new FrameOutbox<Counted>(pipe.Writer, TimeSpan.FromSeconds(10), () => throw new InvalidOperationException("stalled"));
        for (byte i = 1; i <= 3; i++)
        {
            Assert.True(outbox.TryEnqueue(new Counted([i, i], written)));
        }

        outbox.Complete();
        Assert.False(outbox.TryEnqueue(new Counted([9], written)));
        await outbox.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        var bytes = new List<byte>();
        while (bytes.Count < 6)
        {
            var result = await pipe.Reader.ReadAsync();
            bytes.AddRange(result.Buffer.ToArray());
            pipe.Reader.AdvanceTo(result.Buffer.End);
        }

        Assert.Equal(new byte[] { 1, 1, 2, 2, 3, 3 }, bytes);
        Assert.Equal(3, written.Count);
    }

    [Fact]
    public async Task A_peer_that_stops_reading_stalls_the_outbox_and_what_waited_is_reported_written()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 16, resumeWriterThreshold: 8, useSynchronizationContext: false));
        var written = new Written();
        var stalled = 0;
        var outbox = new FrameOutbox<Counted>(pipe.Writer, TimeSpan.FromMilliseconds(200), () => Interlocked.Increment(ref stalled));

        outbox.TryEnqueue(new Counted(new byte[64], written)); // over the pause threshold: the flush waits for a reader that never comes
        await Task.Delay(50);
        outbox.TryEnqueue(new Counted(new byte[8], written));
        await outbox.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, stalled);
        Assert.Equal(2, written.Count);
        Assert.False(outbox.TryEnqueue(new Counted([1], written)));
    }

    private sealed class Written
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }

    private readonly struct Counted(byte[] frame, Written written) : IOutboundFrame
    {
        public ReadOnlyMemory<byte> Frame => frame;

        public void OnWritten() => written.Add();
    }
}
