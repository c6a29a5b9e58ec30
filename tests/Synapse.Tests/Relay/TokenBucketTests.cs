using Synapse.Relay.Server;
using Synapse.Tests.Envelopes;
using Xunit;

namespace Synapse.Tests.Relay;

public sealed class TokenBucketTests
{
    [Fact]
    public void A_bucket_allows_its_burst_then_refills_at_the_sustained_rate()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var bucket = new TokenBucket(perMinute: 60, burst: 3, time);
        Assert.True(bucket.IsFull);
        Assert.True(bucket.TryTake() && bucket.TryTake() && bucket.TryTake());
        Assert.False(bucket.TryTake());
        Assert.False(bucket.IsFull);

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(bucket.TryTake());
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());

        time.Advance(TimeSpan.FromMinutes(10)); // refills to the burst, never beyond
        Assert.True(bucket.IsFull);
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => bucket.TryTake()));
    }

    [Fact]
    public void The_burst_is_ten_seconds_of_the_rate_and_at_least_ten() =>
        Assert.Equal([10, 10, 50, 1000], new[] { 1, 60, 300, 6000 }.Select(TokenBucket.BurstFor));
}
