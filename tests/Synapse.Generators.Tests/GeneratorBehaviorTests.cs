using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Synapse.Generators.Tests;

public class GeneratorBehaviorTests
{
    [Fact]
    public void Nullable_oblivious_code_compiles_cleanly()
    {
        var run = GeneratorHarness.Run("""
            #nullable disable
            using System.Collections.Generic;
            using Synapse;

            namespace Legacy;

            [SynapseMessage]
            public class Item
            {
                public string Name { get; set; }

                public List<string> Tags { get; set; }
            }

            [AgentNode]
            public partial class LegacyNode
            {
                [Endpoint]
                public Item Find(string name, Item template = null, string[] hints = null) => template;
            }
            """);

        SnapshotTests.AssertCompiles(run);
        var source = run.Source("Legacy.LegacyNode.AgentNode.g.cs");
        Assert.Contains("string? p0", source, StringComparison.Ordinal);
        Assert.Contains("global::Legacy.Item? p1 = null;", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_node_is_skipped_without_breaking_other_nodes()
    {
        var run = GeneratorHarness.Run("""
            using Synapse;

            namespace Demo;

            [AgentNode]
            public class NotPartial
            {
                [Endpoint]
                public int A() => 1;
            }

            [AgentNode]
            public partial class Fine
            {
                [Endpoint]
                public int B() => 2;

                [Endpoint]
                public int C(decimal unsupported) => 3;
            }
            """);

        Assert.Equal(new[] { "Demo.Fine.AgentNode.g.cs" }, run.HintNames);
        Assert.Empty(run.Diagnostics); // the declarative errors come from the analyzer
        var generatedErrors = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
        Assert.Empty(generatedErrors);
        var source = run.Source("Demo.Fine.AgentNode.g.cs");
        Assert.Contains("\"B\"u8", source, StringComparison.Ordinal);
        Assert.DoesNotContain("\"C\"u8", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_messages_get_one_formatter()
    {
        var run = GeneratorHarness.Run(TestSources.Messages, """
            using Synapse;
            using Demo.Models;

            namespace Demo;

            [AgentNode]
            public partial class A
            {
                [Endpoint]
                public ReviewResult Review(ReviewRequest request) => new();
            }

            [AgentNode]
            public partial class B
            {
                [Endpoint]
                public ReviewRequest[] Echo(ReviewRequest[] requests) => requests;
            }
            """);

        SnapshotTests.AssertCompiles(run);
        var formatters = run.Source("Synapse.Formatters.g.cs");
        Assert.Equal(1, Count(formatters, "Read_Demo_Models_ReviewRequest(ref global::Synapse.MessagePack.MsgPackReader reader)"));
        Assert.Equal(1, Count(formatters, "Write_Array_Demo_Models_ReviewRequest(ref"));
    }

    [Fact]
    public void Messages_from_referenced_assemblies_get_formatters()
    {
        var library = GeneratorHarness.CreateCompilation(("Library.cs", """
            using Synapse;

            namespace Library;

            [SynapseMessage]
            public sealed record Envelope(string Kind, long Sequence);
            """));
        var image = library.ToMetadataReference();

        var consumer = GeneratorHarness.CreateCompilation(("Node.cs", """
            using Synapse;
            using Library;

            namespace Consumer;

            [AgentNode]
            public partial class Relay
            {
                [Endpoint]
                public Envelope Forward(Envelope envelope) => envelope;
            }
            """)).AddReferences(image);
        var run = GeneratorHarness.Run(consumer);

        SnapshotTests.AssertCompiles(run);
        Assert.Contains("Read_Library_Envelope", run.Source("Synapse.Formatters.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Client_handles_names_defaults_and_arity()
    {
        var run = GeneratorHarness.Run("""
            using System.Threading;
            using System.Threading.Tasks;
            using Synapse;

            namespace Demo;

            [AgentNode]
            public partial class Edge
            {
                [Endpoint("none")]
                public Task NoneAsync(CancellationToken token) => Task.CompletedTask;

                [Endpoint("token-named")]
                public int Tokenish(int cancellationToken) => cancellationToken;

                [Endpoint("defaults")]
                public string Defaults(string text = null!, float ratio = float.NaN, sbyte small = -3, ulong big = 18446744073709551615) => text;

                [Endpoint("over1")]
                public int Over(int a) => a;

                [Endpoint("over2")]
                public int Over(long a) => (int)a;

                [Endpoint("over3")]
                public int Over(int a, CancellationToken token) => a;
            }
            """);

        SnapshotTests.AssertCompiles(run);
        var source = run.Source("Demo.Edge.AgentNode.g.cs");
        Assert.Contains("public global::System.Threading.Tasks.Task NoneAsync(global::System.Threading.CancellationToken cancellationToken = default)", source, StringComparison.Ordinal);
        Assert.Contains("TokenishAsync(int cancellationToken, global::System.Threading.CancellationToken cancellationToken_ = default)", source, StringComparison.Ordinal);
        Assert.Contains("DefaultsAsync(string? text = null, float ratio = float.NaN, sbyte small = (sbyte)(-3), ulong big = 18446744073709551615UL,", source, StringComparison.Ordinal);
        Assert.Contains("OverAsync(int a,", source, StringComparison.Ordinal);
        Assert.Contains("OverAsync(long a,", source, StringComparison.Ordinal);
        Assert.Contains("OverAsync2(int a,", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Internal_types_make_the_client_internal()
    {
        var run = GeneratorHarness.Run("""
            using Synapse;

            namespace Demo;

            internal enum Secret { A }

            [AgentNode]
            public partial class Mixed
            {
                [Endpoint]
                internal Secret Get() => Secret.A;
            }
            """);

        SnapshotTests.AssertCompiles(run);
        Assert.Contains("internal sealed class MixedClient", run.Source("Demo.Mixed.AgentNode.g.cs"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DocumentationMode.Parse)]
    [InlineData(DocumentationMode.None)] // projects without GenerateDocumentationFile
    public void Descriptions_fall_back_to_xml_docs(DocumentationMode mode)
    {
        var compilation = GeneratorHarness.CreateCompilation("""
            using Synapse;

            namespace Demo;

            /// <summary>
            ///   Counts <see cref="System.String"/> values,
            ///   <c>fast</c>.
            /// </summary>
            [AgentNode]
            public partial class Docs
            {
                /// <summary>Uses the <paramref name="x"/> "quoted".</summary>
                [Endpoint]
                public int A(int x) => x;

                /// <summary>Ignored.</summary>
                [Endpoint(Description = "From the attribute")]
                public int B() => 1;
            }
            """);
        var tree = compilation.SyntaxTrees.First();
        compilation = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(tree.GetText(), GeneratorHarness.ParseOptions.WithDocumentationMode(mode), tree.FilePath));
        var run = GeneratorHarness.Run(compilation);

        SnapshotTests.AssertCompiles(run);
        var source = run.Source("Demo.Docs.AgentNode.g.cs");
        Assert.Contains("\"Counts String values, fast.\"", source, StringComparison.Ordinal);
        Assert.Contains("\"Uses the x \\\"quoted\\\".\"", source, StringComparison.Ordinal);
        Assert.Contains("\"From the attribute\"", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Ignored.", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Attribute_on_one_of_several_partial_declarations_generates_once()
    {
        var compilation = GeneratorHarness.CreateCompilation(
            ("A.cs", "using Synapse; namespace Demo; [AgentNode] public partial class P { [Endpoint] public int A() => 1; }"),
            ("B.cs", "using Synapse; namespace Demo; public partial class P { [Endpoint] public int B() => 2; }"),
            ("C.cs", "namespace Demo; public partial class P { }"));
        var run = GeneratorHarness.Run(compilation);
        SnapshotTests.AssertCompiles(run);
        Assert.Equal(new[] { "Demo.P.AgentNode.g.cs" }, run.HintNames);
    }

    [Fact]
    public void Nothing_is_generated_without_attributes()
    {
        var run = GeneratorHarness.Run("namespace Demo; public class Plain { public int A() => 1; }");
        Assert.Empty(run.Result.GeneratedSources);
        Assert.Empty(run.Diagnostics);
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
