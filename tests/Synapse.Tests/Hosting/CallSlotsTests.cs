using Synapse.Hosting;

namespace Synapse.Tests.Hosting;

public sealed class CallSlotsTests
{
    [Fact]
    public void A_connection_at_its_limit_takes_no_more_slots_until_one_is_given_back()
    {
        var slots = new CallSlots(2);

        Assert.True(slots.TryTake());
        Assert.True(slots.TryTake());
        Assert.False(slots.TryTake());

        slots.Release();
        Assert.True(slots.TryTake());
        Assert.Equal(0, slots.Free);
    }

    [Fact]
    public async Task The_slot_waited_for_goes_to_the_request_that_waited_and_to_no_other()
    {
        var slots = new CallSlots(1);
        Assert.True(slots.TryTake());

        var wait = slots.WaitAsync(CancellationToken.None);
        Assert.False(wait.IsCompleted);

        slots.Release();
        await TestCalls.Within(wait);

        Assert.Equal(0, slots.Free);
        Assert.True(slots.TryTake()); // the granted one
        Assert.False(slots.TryTake());
    }

    [Fact]
    public async Task Waiting_for_a_slot_ends_when_the_connection_is_aborted_and_grants_nothing()
    {
        var slots = new CallSlots(1);
        Assert.True(slots.TryTake());
        using var aborted = new CancellationTokenSource();

        var wait = slots.WaitAsync(aborted.Token);
        await aborted.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestCalls.Within(wait));
        Assert.False(slots.TryTake());
    }
}
