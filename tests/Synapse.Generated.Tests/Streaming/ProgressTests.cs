using Synapse.Client;
using Synapse.MessagePack;

namespace Synapse.Generated.Tests.Streaming;

/// <summary>Endpoints that take an <c>IProgress&lt;T&gt;</c>: their reports reach the caller while the call runs.</summary>
public sealed class ProgressTests() : AgentOnLoopback<Cruncher>(new Cruncher())
{
    [Fact]
    public async Task Reports_arrive_in_order_before_the_result()
    {
        var reports = new Reports<Step>();

        var result = await new CruncherClient(Client).CrunchAsync(20, reports);

        Assert.Equal(20, result);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => new Step(i, 20)), reports.Seen); // each waited for the one before it
    }

    [Fact]
    public async Task Reports_made_faster_than_the_connection_sends_them_are_coalesced_to_the_latest()
    {
        var reports = new Reports<int>();

        await new CruncherClient(Client).FloodAsync(100_000, reports);

        Assert.InRange(reports.Seen.Count, 1, 99_999);
        Assert.Equal(100_000, reports.Seen[^1]);
        Assert.Equal(reports.Seen.Order(), reports.Seen);
    }

    [Fact]
    public async Task A_caller_that_takes_no_progress_gets_the_result_alone()
    {
        Assert.Equal(5, await new CruncherClient(Client).CrunchAsync(5));
    }

    [Fact]
    public async Task A_connection_of_one_call_runs_the_endpoint_without_reports()
    {
        await using var perCall = new SynapseClient("127.0.0.1", Host.Port, new SynapseClientOptions { Mode = ConnectionMode.PerCall, Security = LinkSecurity.Disabled });
        var reports = new Reports<Step>();

        Assert.Equal(3, (await perCall.CallAsync("crunch", [3])).AsInt64());
        Assert.Equal(3, await new CruncherClient(perCall).CrunchAsync(3, reports));
        Assert.Empty(reports.Seen);
    }

    /// <summary>Keeps every report, in the order they arrive (on the connection's reader, before the response).</summary>
    private sealed class Reports<T> : IProgress<T>
    {
        public List<T> Seen { get; } = [];

        public void Report(T value)
        {
            lock (Seen)
            {
                Seen.Add(value);
            }
        }
    }
}

/// <summary>How far a job has come.</summary>
[SynapseMessage]
public sealed record Step(int Done, int Of);

/// <summary>An agent whose endpoints report progress.</summary>
[AgentNode(Name = "cruncher")]
public sealed partial class Cruncher
{
    /// <summary>Works through <paramref name="steps"/> steps, reporting each.</summary>
    [Endpoint("crunch")]
    public async Task<int> Crunch(int steps, IProgress<Step> progress, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= steps; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
            progress.Report(new Step(i, steps));
        }

        return steps;
    }

    /// <summary>Reports as fast as it can.</summary>
    [Endpoint("flood")]
    public void Flood(int reports, IProgress<int> progress)
    {
        for (var i = 1; i <= reports; i++)
        {
            progress.Report(i);
        }
    }
}
