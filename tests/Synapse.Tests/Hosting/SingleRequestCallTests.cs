using System.Buffers;
using Synapse.Hosting;

namespace Synapse.Tests.Hosting;

public sealed class SingleRequestCallTests
{
    [Fact]
    public async Task A_caller_that_leaves_cancels_the_handler_and_the_call_is_still_recycled_once()
    {
        var transport = new PipeTransport();
        var calls = new RunningCalls();
        var owner = new RecordingOwner();
        var call = TestCalls.Start("1", owner);
        var token = call.CancellationToken;
        var handler = new TaskCompletionSource();
        token.Register(() =>
        {
            call.CompleteWithNil();
            handler.SetResult();
        });

        var serving = SingleRequestCall.CompleteAsync(new ConnectionLink(transport, secure: false), call, new ValueTask(handler.Task), calls, TimeSpan.FromSeconds(5), owner, CancellationToken.None);
        Assert.False(serving.IsCompleted);
        await transport.Caller.Send.CompleteAsync();

        await TestCalls.Within(serving);
        Assert.True(token.IsCancellationRequested);
        Assert.Same(call, Assert.Single(owner.Written));
    }

    [Fact]
    public async Task The_response_is_written_when_the_handler_completes()
    {
        var transport = new PipeTransport();
        var owner = new RecordingOwner();
        var call = TestCalls.Start("1", owner);
        var handler = new TaskCompletionSource();

        var serving = SingleRequestCall.CompleteAsync(new ConnectionLink(transport, secure: false), call, new ValueTask(handler.Task), new RunningCalls(), TimeSpan.FromSeconds(5), owner, CancellationToken.None);
        call.CompleteWithNil();
        var expected = call.ResponseFrame.ToArray();
        handler.SetResult();
        await TestCalls.Within(serving);

        var sent = await TestCalls.Within(transport.Caller.Receive.ReadAtLeastAsync(expected.Length).AsTask());
        Assert.Equal(expected, sent.Buffer.ToArray());
        Assert.False(call.IsCancellationRequested);
        Assert.Single(owner.Written);
    }

    [Fact]
    public async Task An_abort_leaves_a_handler_that_ignores_cancellation_without_recycling_its_call()
    {
        var transport = new PipeTransport();
        var owner = new RecordingOwner();
        var call = TestCalls.Start("1", owner);
        using var aborted = new CancellationTokenSource();

        var serving = SingleRequestCall.CompleteAsync(new ConnectionLink(transport, secure: false), call, new ValueTask(new TaskCompletionSource().Task), new RunningCalls(), TimeSpan.FromSeconds(5), owner, aborted.Token);
        await aborted.CancelAsync();

        await TestCalls.Within(serving);
        Assert.Empty(owner.Written);
        Assert.False(transport.Caller.Receive.TryRead(out _));
    }
}
