using System.Collections.Concurrent;
using Synapse.Swarm;
using static Synapse.Tests.Swarm.SwarmAskingTests;

namespace Synapse.Tests.Swarm;

/// <summary><see cref="SwarmAskOptions.Progress"/>: each step of a swarm ask is reported as it happens, once.</summary>
public sealed class SwarmAskProgressTests
{
    private sealed class Recorder : IProgress<SwarmAskUpdate>
    {
        public ConcurrentQueue<SwarmAskUpdate> Updates { get; } = new();

        public void Report(SwarmAskUpdate value) => Updates.Enqueue(value);

        public string[] Of(string peer) => [.. Updates.Where(u => u.Peer.Id == peer).Select(u => u.Kind.ToString())];
    }

    [Fact]
    public async Task Asked_ack_and_reply_are_reported_in_order_with_the_result()
    {
        await using var asker = await StartAskerAsync();
        await using var worker = await StartWorkerAsync(asker, "worker");
        var recorder = new Recorder();

        var result = await NodeOf(asker).AskAsync("review PR 3", new SwarmAskOptions { Timeout = TimeSpan.FromSeconds(10), Progress = recorder });

        Assert.Equal(["Asked", "Acknowledged", "Replied"], recorder.Of("worker"));
        Assert.All(recorder.Updates, u => Assert.Equal(result.Nonce, u.Nonce));
        var replied = recorder.Updates.Single(u => u.Kind == SwarmAskUpdateKind.Replied);
        Assert.Equal(("review PR 3", null), (replied.Result?.AsString(), replied.Error));
    }

    [Fact]
    public async Task Failures_and_unreachable_peers_are_reported_with_why()
    {
        await using var asker = await StartAskerAsync();
        await using var worker = await StartWorkerAsync(asker, "worker");
        NodeOf(asker).Membership.Touch(Unreachable("gone"));
        var recorder = new Recorder();

        await NodeOf(asker).AskAsync("explode", new SwarmAskOptions { Timeout = TimeSpan.FromSeconds(30), Progress = recorder });

        Assert.Equal(["Asked", "Acknowledged", "Failed"], recorder.Of("worker"));
        Assert.Equal("task exploded", recorder.Updates.Single(u => u.Kind == SwarmAskUpdateKind.Failed).Error);
        Assert.Equal(["Asked", "Unreachable"], recorder.Of("gone"));
        Assert.False(string.IsNullOrEmpty(recorder.Updates.Single(u => u.Kind == SwarmAskUpdateKind.Unreachable).Error));
    }

    [Fact]
    public async Task A_throwing_progress_does_not_stop_the_ask()
    {
        await using var asker = await StartAskerAsync();
        await using var worker = await StartWorkerAsync(asker, "worker");

        var result = await NodeOf(asker).AskAsync("review PR 4", new SwarmAskOptions { Timeout = TimeSpan.FromSeconds(10), Progress = new Throwing() });

        Assert.Equal(SwarmAskOutcome.Replied, Assert.Single(result.Answers).Outcome);
    }

    private sealed class Throwing : IProgress<SwarmAskUpdate>
    {
        public void Report(SwarmAskUpdate value) => throw new InvalidOperationException("progress broke");
    }
}
