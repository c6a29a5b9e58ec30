using Synapse.Envelopes;

namespace Synapse.Tests.Envelopes;

public class ReplayCacheTests
{
    private static ReplayKey Key(int n) => new(0, (UInt128)n, Guid.Empty);

    [Fact]
    public void Entries_expire_with_the_window()
    {
        var cache = new ReplayCache(10);
        Assert.Equal(ReplayStatus.Fresh, cache.TryAdd(Key(1), timestamp: 100, cutoff: 0));
        Assert.Equal(ReplayStatus.Seen, cache.TryAdd(Key(1), timestamp: 100, cutoff: 0));
        Assert.Equal(ReplayStatus.Seen, cache.Check(Key(1), timestamp: 100, cutoff: 100));
        Assert.Equal(ReplayStatus.Fresh, cache.TryAdd(Key(2), timestamp: 150, cutoff: 100));
        Assert.Equal(2, cache.Count);

        // Past the cutoff entry 1 is dropped, and the horizon keeps anything that old out.
        Assert.Equal(ReplayStatus.BeyondHorizon, cache.Check(Key(1), timestamp: 100, cutoff: 101));
        Assert.Equal(1, cache.Count);
        Assert.Equal(100, cache.Horizon);
        Assert.Equal(ReplayStatus.Fresh, cache.Check(Key(3), timestamp: 101, cutoff: 101));
    }

    [Fact]
    public void When_full_the_oldest_goes_and_the_horizon_follows()
    {
        var cache = new ReplayCache(2);
        Assert.Equal(ReplayStatus.Fresh, cache.TryAdd(Key(1), 10, 0));
        Assert.Equal(ReplayStatus.Fresh, cache.TryAdd(Key(2), 20, 0));
        Assert.Equal(ReplayStatus.BeyondHorizon, cache.TryAdd(Key(9), 5, 0));
        Assert.Equal(ReplayStatus.BeyondHorizon, cache.TryAdd(Key(9), 10, 0));
        Assert.Equal(2, cache.Count);
        Assert.Equal(ReplayStatus.Fresh, cache.TryAdd(Key(3), 30, 0));
        Assert.Equal(2, cache.Count);
        Assert.Equal(10, cache.Horizon);
        Assert.Equal(ReplayStatus.BeyondHorizon, cache.TryAdd(Key(1), 10, 0));
        Assert.Equal(ReplayStatus.Seen, cache.TryAdd(Key(2), 20, 0));
        Assert.Equal(ReplayStatus.BeyondHorizon, cache.TryAdd(Key(4), 11, 0));
        Assert.Equal(10, cache.Horizon);
        Assert.Equal(ReplayStatus.Fresh, cache.TryAdd(Key(4), 25, 0));
        Assert.Equal(20, cache.Horizon);
        Assert.Equal(ReplayStatus.BeyondHorizon, cache.TryAdd(Key(2), 20, 0));
    }
}
