using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Synapse.Generators.Tests;

public class DiagnosticTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Synapse;
        using Synapse.Rpc;

        """;

    [Fact]
    public Task Syn001_NotPartial() => VerifyAsync("""
        [AgentNode]
        public class {|SYN001:NotPartial|}
        {
            [Endpoint]
            public int A() => 1;
        }

        public class Outer
        {
            [AgentNode]
            public partial class {|SYN001:Inner|}
            {
            }
        }

        [AgentNode]
        public static partial class {|SYN001:StaticNode|}
        {
        }
        """);

    [Fact]
    public Task Syn002_DuplicateEndpointName() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Endpoint("a")]
            public int A() => 1;

            [Endpoint({|SYN002:"a"|})]
            public int B() => 2;

            [Endpoint]
            public int C() => 3;

            [Endpoint({|SYN002:"C"|})]
            public int D() => 4;
        }
        """);

    [Fact]
    public Task Syn003_ReservedPrefix() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Endpoint({|SYN003:"_synapse.info"|})]
            public int A() => 1;

            [Endpoint({|SYN003:"_agent.x"|})]
            public int B() => 2;

            [Endpoint({|SYN003:"_node.ask"|})]
            public int C() => 3;

            [Endpoint("_nodes.fine")]
            public int D() => 4;
        }
        """);

    [Fact]
    public Task Syn004_InvalidName() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Endpoint({|SYN004:"has space"|})]
            public int A() => 1;

            [Endpoint({|SYN004:"a..b"|})]
            public int B() => 2;

            [Endpoint({|SYN004:"trailing."|})]
            public int C() => 3;

            [Endpoint({|SYN004:"9lives"|})]
            public int D() => 4;

            [Endpoint({|SYN004:""|})]
            public int E() => 5;

            [Endpoint]
            public int {|SYN004:Größe|}() => 6;

            [Endpoint("ok.name-1_x")]
            public int F() => 7;
        }
        """);

    [Fact]
    public Task Syn005_UnsupportedParameterType() => VerifyAsync("""
        public class NotAMessage
        {
        }

        [SynapseMessage]
        public class Broken
        {
            public decimal {|SYN012:Price|} { get; set; }
        }

        [AgentNode]
        public partial class Node
        {
            [Endpoint]
            public void A({|SYN005:decimal|} amount)
            {
            }

            [Endpoint]
            public void B({|SYN005:List<char>|} letters)
            {
            }

            [Endpoint]
            public void C({|SYN005:NotAMessage|} value)
            {
            }

            [Endpoint]
            public void D({|SYN005:Dictionary<int, string>|} map)
            {
            }

            [Endpoint]
            public void E({|SYN005:object|} value, {|SYN005:int[,]|} grid)
            {
            }

            [Endpoint]
            public void F(Broken reportedAtTheMessage)
            {
            }

            [Endpoint]
            public void G({|SYN005:IProgress<decimal>|} progress)
            {
            }

            [Endpoint]
            public void Fine(List<Dictionary<string, int?[]>> ok, IEnumerable<string?> names, CancellationToken ct, CallContext context, IProgress<int> progress)
            {
            }
        }
        """);

    [Fact]
    public Task Syn006_UnsupportedReturnType() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Endpoint]
            public {|SYN006:object|} A() => new();

            [Endpoint]
            public {|SYN006:Task<decimal>|} B() => Task.FromResult(1m);

            [Endpoint]
            public {|SYN006:ValueTask<DateTime>|} C() => default;

            [Endpoint]
            public {|SYN006:Task<Task>|} D() => Task.FromResult(Task.CompletedTask);

            [Endpoint]
            public {|SYN006:IAsyncEnumerable<decimal>|} E() => throw null!;
        }
        """);

    [Fact]
    public Task Syn007_MultipleCancellationTokens() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Endpoint]
            public Task A(CancellationToken first, int x, CancellationToken {|SYN007:second|}) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task Syn008_AsyncVoid() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Endpoint]
            public async void {|SYN008:Fire|}() => await Task.Yield();

            [Background(5)]
            public async void {|SYN008:Tick|}() => await Task.Yield();
        }
        """);

    [Fact]
    public Task Syn009_AttributeOutsideNode() => VerifyAsync("""
        public class NotANode
        {
            [{|SYN009:Endpoint("x")|}]
            public int A() => 1;

            [{|SYN009:TaskHandler|}]
            public string B(string task) => task;

            [{|SYN009:Background(1)|}]
            public void C()
            {
            }

            [{|SYN009:Cron("@daily")|}]
            public void D()
            {
            }

            [{|SYN009:Solar(SolarEvent.Sunset, 0, 0)|}]
            public void E()
            {
            }

            [{|SYN009:Every(Minutes = 1)|}]
            public void F()
            {
            }
        }
        """);

    [Fact]
    public Task Syn010_MultipleTaskHandlers() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [TaskHandler]
            public string A(string task) => task;

            [{|SYN010:TaskHandler|}]
            public string B(string task) => task;
        }
        """);

    [Fact]
    public Task Syn011_InvalidBackgroundJob() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Background(5)]
            public {|SYN011:int|} ReturnsValue() => 1;

            [Every(Minutes = 1)]
            public void TakesArgument(int {|SYN011:x|})
            {
            }

            [Cron("@hourly")]
            public static void {|SYN011:IsStatic|}()
            {
            }

            [Solar(SolarEvent.Sunset, 0, 0)]
            public void {|SYN011:Generic|}<T>()
            {
            }

            [Every(Minutes = 5)]
            [{|SYN011:Cron("@daily")|}]
            public void TwoSchedules()
            {
            }

            [Background(5)]
            public Task Fine(CancellationToken cancellationToken) => Task.CompletedTask;

            [Cron("0 9 * * MON-FRI", TimeZone = "Europe/Paris")]
            public ValueTask AlsoFine() => default;
        }
        """);

    [Fact]
    public Task Syn026_MalformedCronExpression() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Cron({|SYN026:"61 * * * *"|})]
            public void MinuteOutOfRange()
            {
            }

            [Cron({|SYN026:"0 9 * *"|})]
            public void FourFields()
            {
            }

            [Cron({|SYN026:"0 0 0 12 * *"|})]
            public void SixFields()
            {
            }

            [Cron({|SYN026:"0 9 * * MON-FRX"|})]
            public void BadName()
            {
            }

            [Cron({|SYN026:"*/0 * * * *"|})]
            public void ZeroStep()
            {
            }

            [Cron({|SYN026:"@fortnightly"|})]
            public void UnknownMacro()
            {
            }

            [Cron({|SYN026:"H * * * *"|})]
            public void Jitter()
            {
            }

            [Cron({|SYN026:null!|})]
            public void Null()
            {
            }

            [Cron("0 12 L-2W * 5L")]
            public void Fine()
            {
            }
        }
        """);

    [Fact]
    public Task Syn027_UnknownSolarEvent() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Solar({|SYN027:"twilight"|}, 48.85, 2.35)]
            public void UnknownName()
            {
            }

            [Solar({|SYN027:(SolarEvent)42|}, 48.85, 2.35)]
            public void UnknownValue()
            {
            }

            [Solar("CIVIL_DUSK", 48.85, 2.35)]
            public void AnyCase()
            {
            }

            [Solar("noon", 48.85, 2.35)]
            public void Alias()
            {
            }
        }
        """);

    [Fact]
    public Task Syn028_CoordinateOutOfRange() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Solar(SolarEvent.Sunrise, {|SYN028:90.5|}, 0)]
            public void North()
            {
            }

            [Solar(SolarEvent.Sunrise, 0, {|SYN028:-181|})]
            public void West()
            {
            }

            [Solar(SolarEvent.Sunrise, {|SYN028:double.NaN|}, 0)]
            public void NotANumber()
            {
            }

            [Solar(SolarEvent.Sunrise, -90, 180)]
            public void Edges()
            {
            }
        }
        """);

    [Fact]
    public Task Syn029_InvalidScheduleInterval() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Background({|SYN029:0|})]
            public void Zero()
            {
            }

            [Background({|SYN029:-1.5|})]
            public void Negative()
            {
            }

            [{|SYN029:Every|}]
            public void Missing()
            {
            }

            [{|SYN029:Every(Minutes = 1, Seconds = -60)|}]
            public void AddsToZero()
            {
            }

            [Every({|SYN029:Hours = double.PositiveInfinity|})]
            public void Infinite()
            {
            }

            [Every(Hours = 1, Minutes = 30)]
            public void Fine()
            {
            }
        }
        """);

    [Fact]
    public Task Syn012_InvalidMessageType() => VerifyAsync("""
        [SynapseMessage]
        public abstract class {|SYN012:Abstract|}
        {
        }

        [SynapseMessage]
        public class {|SYN012:NoConstructor|}
        {
            public NoConstructor(int unrelated)
            {
            }

            public int Value { get; set; }
        }

        [SynapseMessage]
        public class BadMember
        {
            public char {|SYN012:Letter|} { get; set; }
        }

        [SynapseMessage]
        public class DuplicateKeys
        {
            public int A { get; set; }

            [MessageKey("A")]
            public int {|SYN012:B|} { get; set; }
        }

        [SynapseMessage]
        public class {|SYN012:Generic|}<T>
        {
        }

        public class Holder
        {
            [SynapseMessage]
            private sealed class {|SYN012:Hidden|}
            {
            }
        }

        [SynapseMessage]
        public sealed record Fine(string Name, int Age = 3);
        """);

    [Fact]
    public Task Syn013_InvalidEndpointShape() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Endpoint]
            public T {|SYN013:Generic|}<T>(T value) => value;

            [Endpoint]
            public static int {|SYN013:Static|}() => 1;

            [Endpoint]
            public IAsyncEnumerable<int> {|SYN013:StreamsWithProgress|}(IProgress<int> progress) => throw null!;

            [Endpoint]
            public int TwoProgresses(IProgress<int> first, IProgress<string> {|SYN013:second|}) => 0;

            [TaskHandler]
            public IAsyncEnumerable<string> {|SYN013:AskedForOneAnswer|}(string task) => throw null!;

            [Endpoint]
            public void ByRef(ref int {|SYN013:value|}, out int {|SYN013:result|}, in int {|SYN013:input|}) => result = value + input;

            [Endpoint]
            public int {|SYN013:TooMany|}(
                int p0, int p1, int p2, int p3, int p4, int p5, int p6, int p7, int p8, int p9,
                int p10, int p11, int p12, int p13, int p14, int p15, int p16, int p17, int p18, int p19,
                int p20, int p21, int p22, int p23, int p24, int p25, int p26, int p27, int p28, int p29,
                int p30, int p31, int p32, int p33, int p34, int p35, int p36, int p37, int p38, int p39,
                int p40, int p41, int p42, int p43, int p44, int p45, int p46, int p47, int p48, int p49,
                int p50, int p51, int p52, int p53, int p54, int p55, int p56, int p57, int p58, int p59,
                int p60, int p61, int p62, int p63, int p64) => 0;
        }
        """);

    [Fact]
    public void Syn9999_InternalErrorIsReportedInsteadOfCrashing()
    {
        var markup = DiagnosticMarkup.Parse(Usings + """
            [AgentNode]
            public partial class {|SYN9999:ThrowingNode|}
            {
                [Endpoint]
                public int A() => 1;
            }
            """);
        AgentNodeGenerator.TransformHook = name =>
        {
            if (name == "ThrowingNode")
            {
                throw new InvalidOperationException("boom");
            }
        };
        try
        {
            var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(("Node.cs", markup.Source)));
            var diagnostic = Assert.Single(run.Diagnostics);
            Assert.Equal("SYN9999", diagnostic.Id);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal(markup.Expected[0].Span, diagnostic.Location.SourceSpan);
            Assert.Contains("InvalidOperationException: boom", diagnostic.GetMessage(), StringComparison.Ordinal);
            Assert.DoesNotContain(run.Diagnostics, d => d.Id == "CS8785");
            Assert.Empty(run.Result.GeneratedSources);
        }
        finally
        {
            AgentNodeGenerator.TransformHook = null;
        }
    }

    [Fact]
    public async Task Valid_node_reports_nothing()
    {
        var run = GeneratorHarness.Run(TestSources.Messages, TestSources.Node);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(await GeneratorHarness.AnalyzerDiagnosticsAsync(run.Output));
    }

    [Fact]
    public async Task Pragma_suppresses_analyzer_diagnostics()
    {
        var source = Usings + """
            [AgentNode]
            public partial class Node
            {
                [Endpoint]
            #pragma warning disable SYN005 // deliberately unsupported
                public void A(decimal amount)
            #pragma warning restore SYN005
                {
                }
            }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(("Node.cs", source)));
        var analyzers = run.Output.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(new SynapseAnalyzer()),
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true));
        var diagnostic = Assert.Single(await analyzers.GetAnalyzerDiagnosticsAsync());
        Assert.Equal("SYN005", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.True(diagnostic.IsSuppressed, "#pragma warning disable SYN005 should suppress the error-severity analyzer diagnostic");

        // Without the pragma the same error is effective.
        var plain = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(("Node.cs", source.Replace("#pragma warning disable SYN005 // deliberately unsupported", "", StringComparison.Ordinal))));
        var effective = Assert.Single(await GeneratorHarness.AnalyzerDiagnosticsAsync(plain.Output));
        Assert.False(effective.IsSuppressed);
    }

    [Fact]
    public void Generator_diagnostics_use_real_source_locations()
    {
        // A pragma can only apply when the location is a SourceLocation in the compilation's own tree (not a
        // file-path ExternalFileLocation), which is what the diagnostics pipeline rebuilds from the equatable model.
        var compilation = GeneratorHarness.CreateCompilation(("Node.cs", Usings + """
            [AgentNode]
            public partial class Node
            {
                [Endpoint("a")]
                public int A() => 1;

                [Endpoint("a")]
                public int B() => 2;
            }
            """));
        var run = GeneratorHarness.Run(compilation);
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("SYN002", diagnostic.Id);
        Assert.Equal(LocationKind.SourceFile, diagnostic.Location.Kind);
        Assert.Same(compilation.SyntaxTrees.First(t => t.FilePath == "Node.cs"), diagnostic.Location.SourceTree);
    }

    [Fact]
    public void Descriptors_have_help_links_and_error_severity()
    {
        var analyzer = new SynapseAnalyzer();
        foreach (var descriptor in analyzer.SupportedDiagnostics)
        {
            // SYN025 (two receivers with the same route and priority) is the analyzer's one warning: the code runs.
            Assert.Equal(descriptor.Id == "SYN025" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, descriptor.DefaultSeverity);
            Assert.EndsWith("docs/diagnostics/" + descriptor.Id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        }
    }

    private static async Task VerifyAsync(string markup)
    {
        var parsed = DiagnosticMarkup.Parse(Usings + markup);
        var compilation = GeneratorHarness.CreateCompilation(("Node.cs", parsed.Source));
        var run = GeneratorHarness.Run(compilation);
        var analyzerDiagnostics = await GeneratorHarness.AnalyzerDiagnosticsAsync(run.Output);
        var actual = run.Diagnostics.Concat(analyzerDiagnostics)
            .Where(d => d.Id.StartsWith("SYN", StringComparison.Ordinal))
            .ToList();

        foreach (var diagnostic in actual)
        {
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal("Node.cs", diagnostic.Location.SourceTree?.FilePath);
            Assert.Matches(DiagnosticMessageTests.Fix, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }

        var actualSet = actual.Select(d => (d.Id, d.Location.SourceSpan)).OrderBy(x => x.SourceSpan.Start).ThenBy(x => x.Id, StringComparer.Ordinal).ToList();
        var expectedSet = parsed.Expected.OrderBy(x => x.Span.Start).ThenBy(x => x.Id, StringComparer.Ordinal).ToList();
        Assert.True(
            expectedSet.SequenceEqual(actualSet),
            "Expected:\n" + Describe(parsed.Source, expectedSet) + "\nActual:\n" + Describe(parsed.Source, actualSet) + "\nMessages:\n" + string.Join("\n", actual.Select(d => d.ToString())));

        // Whatever is invalid, the generated code itself must compile.
        var original = compilation.SyntaxTrees.ToHashSet();
        var generatedErrors = run.Output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && !original.Contains(tree))
            .ToList();
        Assert.True(generatedErrors.Count == 0, "Generated code has errors:\n" + string.Join("\n", generatedErrors));
    }

    private static string Describe(string source, IEnumerable<(string Id, Microsoft.CodeAnalysis.Text.TextSpan Span)> items) =>
        string.Join("\n", items.Select(x => $"  {x.Id} at {x.Span}: '{source.Substring(x.Span.Start, x.Span.Length)}'"));
}
