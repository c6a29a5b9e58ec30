using System.Buffers;
using System.IO.Pipelines;
using Synapse.Hosting;
using Synapse.MessagePack;

namespace Synapse.Tests.Hosting;

public sealed class MultiplexedSessionTests
{
    [Theory]
    [InlineData("""[{"max_frame_size": 1000}]""", 1000)]
    [InlineData("""[{"max_frame_size": 1}]""", 64)]
    [InlineData("""[{"max_frame_size": "big"}]""", 8192)]
    [InlineData("""[{"features": ["cancel"]}]""", 8192)]
    [InlineData("""[]""", 8192)]
    [InlineData("""{"max_frame_size": 1000}""", 8192)]
    public void The_response_limit_is_what_the_client_announced_in_its_hello(string arguments, int expected)
    {
        var options = new AgentHostOptions { MaxFrameSize = 8192 };

        Assert.Equal(expected, MultiplexedSession.HelloTerms(Arguments(arguments), options).MaxFrameSize);
    }

    [Theory]
    [InlineData("""[{"features": ["mux", "cancel", "progress"]}]""", true)]
    [InlineData("""[{"features": ["mux", "cancel"]}]""", false)]
    [InlineData("""[{"features": "progress"}]""", false)]
    [InlineData("""[{"features": [1, "progress"]}]""", true)]
    [InlineData("""[]""", false)]
    public void Progress_reports_go_only_to_a_client_that_announced_it_takes_them(string arguments, bool expected)
    {
        var session = new MultiplexedSession(new AgentHostOptions(), Arguments(arguments), new Pipe().Writer, new RunningCalls(), new RecordingOwner(), () => { });

        Assert.Equal(expected, session.TakesProgress);
    }

    [Fact]
    public void The_response_limit_never_exceeds_the_hosts_own()
    {
        var options = new AgentHostOptions { MaxFrameSize = 8192 };

        var session = new MultiplexedSession(options, Arguments("""[{"max_frame_size": 1000000}]"""), new Pipe().Writer, new RunningCalls(), new RecordingOwner(), () => { });

        Assert.Equal(8192, session.PeerMaxFrameSize);
        Assert.Equal(options.MaxConcurrentCallsPerConnection, session.Slots.Free);
    }

    [Fact]
    public async Task A_connection_at_its_limit_still_applies_the_cancel_notices_queued_behind_the_waiting_request()
    {
        var options = new AgentHostOptions { MaxConcurrentCallsPerConnection = 1 };
        var calls = new RunningCalls();
        var session = new MultiplexedSession(options, default, new Pipe().Writer, calls, new RecordingOwner(), () => { });
        var running = TestCalls.Start("a");
        Assert.True(session.Slots.TryTake());
        calls.Track(running);

        var input = new Pipe();
        byte[] waiting = TestCalls.Frame("""{"id":"b","endpoint":"sum","args":[1,2]}""");
        await input.Writer.WriteAsync(waiting);
        var read = await input.Reader.ReadAsync();
        var wait = session.WaitForSlotAsync(input.Reader, read.Buffer, read.IsCompleted, CancellationToken.None);

        await input.Writer.WriteAsync(TestCalls.Frame("""{"id":"a","type":"cancel"}"""));
        await TestCalls.Within(Until(() => running.IsCancellationRequested));
        Assert.False(wait.IsCompleted);

        session.Slots.Release(); // the cancelled call's response was written
        var resumed = await TestCalls.Within(wait);

        Assert.Equal(waiting, resumed.Buffer.Slice(0, waiting.Length).ToArray()); // the waiting request, not consumed
        Assert.True(session.Slots.TryTake());
        Assert.False(session.Slots.TryTake());
    }

    [Fact]
    public async Task A_call_still_running_can_be_cancelled_by_id_and_is_sent_when_it_completes()
    {
        var output = new Pipe();
        var calls = new RunningCalls();
        var owner = new RecordingOwner();
        var session = new MultiplexedSession(new AgentHostOptions(), default, output.Writer, calls, owner, () => { });
        var call = TestCalls.Start("a", owner);
        var handler = new TaskCompletionSource();

        session.Respond(call, new ValueTask(handler.Task));
        session.Cancel(new ReadOnlySequence<byte>(MsgPackValue.From("a").ToBytes()));
        Assert.True(call.IsCancellationRequested);

        call.CompleteWithNil();
        handler.SetResult();
        var sent = await TestCalls.Within(output.Reader.ReadAtLeastAsync(call.ResponseFrame.Length).AsTask());

        Assert.Equal(call.ResponseFrame.ToArray(), sent.Buffer.Slice(0, call.ResponseFrame.Length).ToArray());
        await TestCalls.Within(Until(() => owner.Written.Count == 1));
        Assert.Same(call, owner.Written[0]);
    }

    [Fact]
    public void A_response_that_cannot_be_queued_is_recycled_at_once()
    {
        var owner = new RecordingOwner();
        var session = new MultiplexedSession(new AgentHostOptions(), default, new Pipe().Writer, new RunningCalls(), owner, () => { });
        session.Outbox.Complete();
        var call = TestCalls.Start("a", owner);
        call.CompleteWithNil();

        session.Respond(call, default);

        Assert.Same(call, Assert.Single(owner.Written));
    }

    private static ReadOnlySequence<byte> Arguments(string json) => new(MsgPackValue.ParseJson(json).ToBytes());

    private static async Task Until(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(10);
        }
    }
}
