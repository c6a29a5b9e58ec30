using Synapse.Hosting;

namespace Synapse.Tests.Hosting;

public sealed class RunningCallsTests
{
    [Fact]
    public void A_cancel_notice_cancels_the_tracked_call_with_that_id_only()
    {
        var calls = new RunningCalls();
        var a = TestCalls.Start("a");
        var b = TestCalls.Start("b");
        var token = a.CancellationToken;
        calls.Track(a);
        calls.Track(b);

        calls.Cancel("a");
        calls.Cancel("unknown");

        Assert.True(token.IsCancellationRequested);
        Assert.False(b.IsCancellationRequested);
    }

    [Fact]
    public void A_call_no_longer_tracked_cannot_be_cancelled()
    {
        var calls = new RunningCalls();
        var a = TestCalls.Start("a");
        calls.Track(a);

        calls.Untrack(a);
        calls.Cancel("a");
        calls.Cancel(a);
        calls.CancelAll();

        Assert.False(a.IsCancellationRequested);
    }

    [Fact]
    public void Untracking_an_earlier_call_keeps_a_later_call_with_the_same_id()
    {
        var calls = new RunningCalls();
        var first = TestCalls.Start("x");
        var second = TestCalls.Start("x");
        calls.Track(first);
        calls.Track(second);

        calls.Untrack(first);
        calls.Cancel(first);
        Assert.False(second.IsCancellationRequested);

        calls.Cancel("x");
        Assert.True(second.IsCancellationRequested);
        Assert.False(first.IsCancellationRequested);
    }

    [Fact]
    public void Cancel_all_cancels_every_tracked_call_and_only_those()
    {
        var calls = new RunningCalls();
        var tracked = new[] { TestCalls.Start("a"), TestCalls.Start("b") };
        var untracked = TestCalls.Start("c");
        foreach (var call in tracked)
        {
            calls.Track(call);
        }

        calls.CancelAll();

        Assert.All(tracked, call => Assert.True(call.IsCancellationRequested));
        Assert.False(untracked.IsCancellationRequested);
    }

    [Fact]
    public async Task Waiting_for_the_calls_ends_with_the_last_one()
    {
        var calls = new RunningCalls();
        calls.Started();
        calls.Started();

        var none = calls.WaitUntilNoneAsync(CancellationToken.None);
        calls.Ended();
        await Task.Delay(50);
        Assert.False(none.IsCompleted);
        Assert.Equal(1, calls.Count);

        calls.Ended();
        await TestCalls.Within(none);
        Assert.Equal(0, calls.Count);
    }

    [Fact]
    public async Task Waiting_for_calls_returns_at_once_without_any_and_stops_when_aborted()
    {
        var calls = new RunningCalls();
        Assert.True(calls.WaitUntilNoneAsync(CancellationToken.None).IsCompleted);

        calls.Started();
        using var aborted = new CancellationTokenSource();
        var none = calls.WaitUntilNoneAsync(aborted.Token);
        Assert.False(none.IsCompleted);

        await aborted.CancelAsync();
        await TestCalls.Within(none); // no exception: the connection closes anyway
        Assert.Equal(1, calls.Count);
    }
}
