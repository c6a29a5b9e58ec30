using System.Reflection;
using System.Runtime.Loader;

namespace Synapse.Generators.Tests.Flows;

/// <summary>Compiles and runs the generated <c>Trigger</c> class for files the snapshot does not cover.</summary>
public class TriggerClassTests
{
    private const string Node = """
        using Synapse;
        using Synapse.Flows;

        namespace Deep;

        [AgentNode]
        public partial class Node
        {
            [Receive("--> a")]
            public FlowEvent? A(object? p) => null;
        }
        """;

    [Fact]
    public void NameOf_reverses_paths_at_any_depth()
    {
        // Nine levels: from eight indexes on the tuple pattern nests a ValueTuple in TRest.
        var chain = string.Join("\n", Enumerable.Range(0, 9).Select(i => new string(' ', 2 * i) + "t" + i));
        var nameOf = NameOf(chain + "\nother\n  t1\n  more\n");

        Assert.Equal("t0", nameOf([0]));
        Assert.Equal("t1", nameOf([0, 0]));
        Assert.Equal("t7", nameOf([0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Equal("t8", nameOf([0, 0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Equal("other", nameOf([1]));
        Assert.Equal("t1", nameOf([1, 0]));
        Assert.Equal("more", nameOf([1, 1]));
        Assert.Null(nameOf([1, 2]));
        Assert.Null(nameOf([2]));
        Assert.Null(nameOf([-1]));
        Assert.Null(nameOf([]));
        Assert.Null(nameOf([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        var error = Assert.Throws<TargetInvocationException>(() => nameOf(null));
        Assert.IsType<ArgumentNullException>(error.InnerException);
    }

    [Fact]
    public void NameOf_of_a_file_without_triggers_finds_nothing()
    {
        var nameOf = NameOf("# no triggers yet\n");

        Assert.Null(nameOf([0]));
        Assert.Null(nameOf([]));
    }

    /// <summary>Generates, compiles and loads the node with <paramref name="triggers"/>, and returns <c>Deep.Trigger.NameOf</c>.</summary>
    private static Func<int[]?, string?> NameOf(string triggers)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(("Deep/Node.cs", Node)), new TestAdditionalText("Deep/TRIGGERS", triggers));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.Problems(run.Output));

        using var image = new MemoryStream();
        var emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        var assembly = new AssemblyLoadContext("Trigger." + Guid.NewGuid().ToString("N"), isCollectible: true).LoadFromStream(image);
        var method = assembly.GetType("Deep.Trigger", throwOnError: true)!.GetMethod("NameOf", BindingFlags.Public | BindingFlags.Static)!;
        Assert.Equal(typeof(string), method.ReturnType);
        Assert.True(method.GetParameters().Single().IsDefined(typeof(ParamArrayAttribute)));
        return path => (string?)method.Invoke(null, [path]);
    }
}
