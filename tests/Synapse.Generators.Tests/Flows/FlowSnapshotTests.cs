using Microsoft.CodeAnalysis;

namespace Synapse.Generators.Tests.Flows;

public class FlowSnapshotTests
{
    [Fact]
    public void FlowNode()
    {
        var compilation = GeneratorHarness.CreateCompilation(("Demo/FlowAgent.cs", FlowSources.Node));
        var run = GeneratorHarness.Run(compilation, new TestAdditionalText("Demo/TRIGGERS", FlowSources.Triggers));

        Assert.Empty(run.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Empty(GeneratorHarness.Problems(run.Output));
        Assert.Contains("Demo.FlowAgent.Flow.g.cs", run.HintNames);
        Assert.Contains("Demo.Trigger.g.cs", run.HintNames);
        Snapshot.Verify(run, nameof(FlowSnapshotTests));
    }
}
