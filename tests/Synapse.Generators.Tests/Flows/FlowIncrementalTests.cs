using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Synapse.Generators.Tests.Flows;

public class FlowIncrementalTests
{
    private static readonly string[] FlowSteps =
    {
        TrackingNames.FlowResults,
        TrackingNames.TriggersFiles,
        TrackingNames.FlowModels,
        TrackingNames.TriggerClasses,
        TrackingNames.FlowDiagnostics,
    };

    private static readonly AdditionalText Triggers = new TestAdditionalText("Demo/TRIGGERS", FlowSources.Triggers);

    [Fact]
    public void Same_inputs_twice_are_fully_cached()
    {
        var compilation = Compilation();
        var driver = GeneratorHarness.CreateDriver(Triggers).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        foreach (var step in FlowSteps)
        {
            AssertOutputs(result, step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        }

        AssertSourceOutputs(result, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void A_comment_in_the_node_file_leaves_flow_outputs_unchanged()
    {
        var compilation = Compilation();
        var driver = GeneratorHarness.CreateDriver(Triggers).RunGenerators(compilation);
        var before = Texts(driver);

        var tree = compilation.SyntaxTrees.Single();
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(0, 0, "// moved down a line\n"))));
        var result = driver.GetRunResult().Results.Single();

        AssertOutputs(result, TrackingNames.FlowModels, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertOutputs(result, TrackingNames.TriggerClasses, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertSourceOutputs(result, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.Equal(before, Texts(driver));
    }

    [Fact]
    public void Editing_TRIGGERS_regenerates_the_trigger_class()
    {
        var compilation = Compilation();
        var driver = GeneratorHarness.CreateDriver(Triggers).RunGenerators(compilation);

        driver = driver.ReplaceAdditionalText(Triggers, new TestAdditionalText("Demo/TRIGGERS", FlowSources.Triggers + "\nretry\n"));
        driver = driver.RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        var reasons = result.TrackedSteps[TrackingNames.TriggerClasses].SelectMany(s => s.Outputs).Select(o => o.Reason);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains("Signal retry", Texts(driver)["Demo.Trigger.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_a_receiver_modifies_the_flow_output()
    {
        var compilation = Compilation();
        var driver = GeneratorHarness.CreateDriver(Triggers).RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var source = tree.GetText().ToString().Replace(
            "public StateTape? LastDownload",
            "[Receive(\"done --> ready\")]\n    public FlowEvent? Reset(object? p) => null;\n\n    public StateTape? LastDownload",
            StringComparison.Ordinal);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: tree.FilePath)));
        var result = driver.GetRunResult().Results.Single();

        var reasons = result.TrackedSteps[TrackingNames.FlowModels].SelectMany(s => s.Outputs).Select(o => o.Reason);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains("new(\"Reset\"", Texts(driver)["Demo.FlowAgent.Flow.g.cs"], StringComparison.Ordinal);
    }

    private static CSharpCompilation Compilation() =>
        GeneratorHarness.CreateCompilation(("Demo/FlowAgent.cs", FlowSources.Node));

    private static Dictionary<string, string> Texts(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    private static void AssertOutputs(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
    {
        Assert.True(result.TrackedSteps.TryGetValue(step, out var steps), "step " + step + " was not tracked");
        var reasons = steps.SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.Contains(r, allowed));
    }

    private static void AssertSourceOutputs(GeneratorRunResult result, params IncrementalStepRunReason[] allowed)
    {
        var reasons = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.Contains(r, allowed));
    }
}
