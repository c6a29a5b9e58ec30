namespace Synapse.Generators.Tests;

public class SnapshotTests
{
    [Fact]
    public void SmallNode()
    {
        var run = GeneratorHarness.Run("""
            using Synapse;

            namespace Demo;

            [AgentNode]
            public partial class Calculator
            {
                /// <summary>Adds two integers.</summary>
                [Endpoint("sum")]
                public int Sum(int a, int b) => a + b;
            }
            """);

        AssertCompiles(run);
        Assert.Equal(new[] { "Demo.Calculator.AgentNode.g.cs" }, run.HintNames);
        Snapshot.Verify(run, nameof(SnapshotTests));
    }

    [Fact]
    public void ScheduledNode()
    {
        var run = GeneratorHarness.Run("""
            using System.Threading;
            using System.Threading.Tasks;
            using Synapse;

            namespace Demo;

            [AgentNode]
            public partial class Gardener
            {
                [Every(Hours = 1, Minutes = 30)]
                public void Check()
                {
                }

                [Cron("0 9 * * MON-FRI", TimeZone = "Europe/Paris", DayOr = false)]
                public Task ReportAsync(CancellationToken cancellationToken) => Task.CompletedTask;

                [Solar(SolarEvent.Sunrise, 48.8566, 2.3522)]
                public ValueTask OpenShuttersAsync() => default;

                [Solar("dusk", -33.87, 151.21)]
                public void LightsOn()
                {
                }

                [Background(0.5)]
                public void Tick()
                {
                }
            }
            """);

        AssertCompiles(run);
        Snapshot.Verify(run, nameof(SnapshotTests));
    }

    [Fact]
    public void StreamingNode()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using System.Collections.Generic;
            using System.Runtime.CompilerServices;
            using System.Threading;
            using System.Threading.Tasks;
            using Synapse;

            namespace Demo;

            [AgentNode]
            public partial class Feed
            {
                /// <summary>Counts up to a limit.</summary>
                [Endpoint("count")]
                public async IAsyncEnumerable<long> Count(int limit, [EnumeratorCancellation] CancellationToken cancellationToken = default)
                {
                    for (var i = 0; i < limit; i++)
                    {
                        await Task.Yield();
                        yield return i;
                    }
                }

                [Endpoint("names")]
                public IAsyncEnumerable<string?> Names() => throw null!;

                [Endpoint("crunch")]
                public Task<int> Crunch(int steps, IProgress<double> progress) => Task.FromResult(steps);

                [Endpoint("mark")]
                public void Mark(IProgress<string> progress, CancellationToken cancellationToken) => progress.Report("done");
            }
            """);

        AssertCompiles(run);
        Snapshot.Verify(run, nameof(SnapshotTests));
    }

    [Fact]
    public void BroadcastEnvelopeParameters()
    {
        var run = GeneratorHarness.Run("""
            using System.Threading.Tasks;
            using Synapse;
            using Synapse.Swarm;

            namespace Demo;

            [AgentNode]
            public partial class Listener
            {
                [Endpoint("synapse.message")]
                public Task<string> Message(string text, SwarmBroadcast? broadcast) => Task.FromResult(text);

                [Endpoint("origin.of")]
                public string OriginOf(SwarmBroadcast broadcast, int ignored = 0) => broadcast.Origin.Id;
            }
            """);

        AssertCompiles(run);
        Snapshot.Verify(run, nameof(SnapshotTests));
    }

    [Fact]
    public void RepresentativeNode()
    {
        var run = GeneratorHarness.Run(TestSources.Messages, TestSources.Node);

        AssertCompiles(run);
        Assert.Equal(new[] { "Demo.ReviewerNode.AgentNode.g.cs", "Synapse.Formatters.g.cs" }, run.HintNames.OrderBy(h => h, StringComparer.Ordinal));
        Snapshot.Verify(run, nameof(SnapshotTests));
    }

    [Fact]
    public void NestedGenericAndGlobalNodes()
    {
        var run = GeneratorHarness.Run("""
            using System.Threading.Tasks;
            using Synapse;

            [AgentNode(Description = "Lives in the global namespace")]
            internal partial class GlobalNode
            {
                [Endpoint("echo")]
                public string Echo(string @class) => @class;
            }

            namespace Outer.Inner
            {
                public partial class Container
                {
                    [AgentNode]
                    public partial record NestedNode
                    {
                        [Endpoint]
                        public async Task<int[]?> Numbers(int? count = null)
                        {
                            await Task.Yield();
                            return count is null ? null : new int[count.Value];
                        }
                    }
                }

                [AgentNode]
                public partial class GenericNode<T>
                    where T : class
                {
                    [Endpoint("id")]
                    public long Id(long value) => value;
                }
            }
            """);

        AssertCompiles(run);
        Assert.Equal(
            new[] { "GlobalNode.AgentNode.g.cs", "Outer.Inner.Container.NestedNode.AgentNode.g.cs", "Outer.Inner.GenericNode_1.AgentNode.g.cs", "Synapse.Formatters.g.cs" },
            run.HintNames.OrderBy(h => h, StringComparer.Ordinal));
        Snapshot.Verify(run, nameof(SnapshotTests));
    }

    [Fact]
    public void MessagesWithoutNodes()
    {
        var run = GeneratorHarness.Run("""
            using System.Collections.Generic;
            using Synapse;

            namespace Demo.Tree;

            [SynapseMessage]
            public sealed record TreeNode(string Name, List<TreeNode> Children, [property: MessageKey("meta")] Dictionary<string, long>? Metadata = null)
            {
                public required int Depth { get; init; }
            }
            """);

        AssertCompiles(run);
        Assert.Equal(new[] { "Synapse.Formatters.g.cs" }, run.HintNames);
        Snapshot.Verify(run, nameof(SnapshotTests));
    }

    internal static void AssertCompiles(GeneratorRun run)
    {
        Assert.Empty(run.Diagnostics);
        var problems = GeneratorHarness.Problems(run.Output);
        Assert.True(problems.Count == 0, "The output compilation has problems:\n" + string.Join("\n", problems));
    }
}
